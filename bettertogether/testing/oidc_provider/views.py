from django.http import JsonResponse
from oauth2_provider.views.generic import ProtectedResourceView

from . import people


class GraphMe(ProtectedResourceView):
    """Microsoft Graph's `GET /v1.0/me` for the account the access token belongs to."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(people.graph_profile(request.resource_owner.username))
