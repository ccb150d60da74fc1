"""Invitations, by use case: `create` (link requests, accounts made for clients), `deliver` (the e-mails
and their retries), `answer` (what a link allows, accept, decline, activate, expire) and `revoke`.

Every status change goes through `common.set_status`; the access an invitation belongs to mirrors its
latest status (CompanyAccess.invitation_status) so that the workspace list can show and filter it cheaply.
"""
