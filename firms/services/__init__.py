"""Workspaces' and companies' use cases, by module. Views, tasks, admin and commands call these.

- `workspaces`: creating a workspace, its name and country, its plan.
- `companies`: creating companies (`companies_create` is the one way, for one or an import's thousand),
  their profile ("Datos de la empresa"), their client members.
- `accesses`: a workspace's access to a company: link requests, their answers, revoking.
- `notices`: the accountants' in-app notices ("Avisos") about an access, and their e-mails.
- `team`: the workspace's team: roles, removal, assignments of companies.
- `provisioning`: creating a company's schema by replaying a migrated template; the registry where tenant
  apps add their starting rows.
- `snapshots`: the board's figures of each company, refreshed in the background.
- `audit`: the activity log: what each service records, and how it reads in either language.
- `transfer`: one company moved to another database (`company_export` / `company_import`).
- `common`: the services' domain error.
"""
