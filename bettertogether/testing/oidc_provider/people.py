"""The provider's accounts as each real provider would describe them.

Every account has the claims its ID token carries (`claims`: for a Google account
`email`, `email_verified` and `hd`; for an Entra account `tid`, `oid`, and the optional
`email`, `xms_edov`, `verified_primary_email`, never `email_verified`) and, for an Entra
account, what Microsoft Graph's `/me` answers (`graph`: `mail`, `userPrincipalName`).
"""

ACCOUNTS: dict[str, dict] = {}


def load(users: list[dict]) -> None:
    for user in users:
        ACCOUNTS[user["username"]] = user


def claims_of(username: str) -> dict:
    return dict(ACCOUNTS[username].get("claims", {}))


def graph_profile(username: str) -> dict:
    """Microsoft Graph's `/me` for an Entra account: `id` is the ID token's `oid`."""
    account = ACCOUNTS[username]
    first, last = account.get("first_name", ""), account.get("last_name", "")
    return {
        "id": account["claims"]["oid"],
        "displayName": f"{first} {last}".strip(),
        "givenName": first,
        "surname": last,
        "mail": None,
        "userPrincipalName": None,
        **account.get("graph", {}),
    }
