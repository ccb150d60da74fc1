"""The books' pages, in the company area (/c/<slug>/...), by subject: `chart`, `catalogs`, `entries`,
`periods`, `imports`, `reports`. CompanyAreaMiddleware has checked the access and set the company's schema;
plan consulta's writes are refused by PlanWriteGuardMiddleware."""
