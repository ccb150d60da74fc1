"""What the browser tests do again and again."""

PASSWORD = "clave-segura-123"


def log_in(page, base_url, email, password=PASSWORD, next_url="/contador/"):
    page.goto(f"{base_url}/cuentas/login/?next={next_url}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
