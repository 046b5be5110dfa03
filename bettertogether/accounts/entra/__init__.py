"""Microsoft Entra ID sign-in: allauth's Microsoft provider, keeping the ID token's claims.

allauth's own Microsoft provider reads the profile from Microsoft Graph (`/me`) and drops
the ID token that Microsoft's token endpoint sends with the access token. Whether an Entra
sign-in may be trusted depends on claims only that ID token carries — the tenant (`tid`),
the user's object id in it (`oid`), and what Microsoft confirms of the address (`xms_edov`,
`verified_primary_email`) — so this provider keeps them in the account's `extra_data`
under `"id_token"`, and identifies the account by `tid` and `oid` together, as Microsoft
recommends, instead of by any address. `accounts/vouching.py` decides what they are worth.

It is allauth's documented way to customise a provider (a subclass in an app of its own,
installed in place of allauth's): it keeps the id `microsoft`, so the settings
(`SOCIALACCOUNT_PROVIDERS["microsoft"]`, with `tenant`, `login_url` and `graph_url`), the
redirect URI (`/sso/microsoft/login/callback/`) and the sign-in button stay as they were.
"""
