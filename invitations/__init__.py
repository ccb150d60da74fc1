"""E-mailed invitations (link requests, client account activation, team invitations): the clients issue."""
