from urllib.parse import urlsplit

from oauth2_provider.oauth2_validators import OAuth2Validator

from . import people

# Google's ID tokens always come from this issuer (allauth checks it).
GOOGLE_ISSUER = "https://accounts.google.com"


class Validator(OAuth2Validator):
    """Puts each account's claims into its ID token, and signs as the provider the client
    stands in for (the application's name: `oidc`, `google` or `entra`)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            **people.claims_of(user.username),
        }

    def get_oidc_issuer_endpoint(self, request):
        kind = request.client.name
        if kind == "google":
            return GOOGLE_ISSUER
        issuer = super().get_oidc_issuer_endpoint(request)  # <this provider's url>/o
        if kind == "entra":
            # A v2.0 token from tenant `tid` is issued by <login host>/<tid>/v2.0.
            parts = urlsplit(issuer)
            tenant = people.claims_of(request.user.username)["tid"]
            return f"{parts.scheme}://{parts.netloc}/{tenant}/v2.0"
        return issuer
