from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from agencies import permissions, services
from agencies.api_support import body, call, user_pk, valid
from agencies.filters import AgencyFilter
from agencies.forms import DesignateAdoForm
from agencies.serializers import AdoSerializer, AgencyOutputSerializer, DesignateAdoSerializer

extend_schema_field(AdoSerializer(allow_null=True))(AgencyOutputSerializer.get_ado)


class ApiRoot(APIView):
    """Index of the ctodp API (version 1)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "agencies": reverse("api:agency-list", request=request),
                "inventories": reverse("api:inventory-list", request=request),
                "datasets": reverse("api:dataset-list", request=request),
                "plans": reverse("api:plan-list", request=request),
                "plan-items": reverse("api:plan-item-list", request=request),
                "publications": reverse("api:publication-list", request=request),
                "dashboard": reverse("api:dashboard", request=request),
                "queues": {
                    name: reverse(f"api:queue-{name}", request=request)
                    for name in ("review", "failing", "stale", "overdue-items", "retirements")
                },
                "compliance": reverse("api:compliance", request=request),
                "data-requests": reverse("api:data-request-list", request=request),
                "reminders": reverse("api:reminder-list", request=request),
                "schema": reverse("api-schema", request=request),
                "docs": reverse("api-docs", request=request),
            }
        )


class AgencyList(generics.ListAPIView):
    """Agencies the caller may see: every agency for program staff, their own for agency users."""

    serializer_class = AgencyOutputSerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        return permissions.visible_agencies(self.request.user).with_ado().order_by("name")


class AgencyDetail(generics.RetrieveAPIView):
    serializer_class = AgencyOutputSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return permissions.visible_agencies(self.request.user).with_ado()


class AgencyAdo(APIView):
    """Designate the agency's Agency Data Officer (the CDO, a DAPA analyst): the previous
    designation ends and is kept as history; the new and the previous ADO and the CDO are told
    by e-mail."""

    @extend_schema(request=DesignateAdoSerializer, responses={201: AdoSerializer})
    def post(self, request: Request, slug: str) -> Response:
        agency = permissions.get_agency_for_user(request.user, slug, perm="agencies.designate_ado")
        data = {**body(request)}
        data["user"] = user_pk(data.get("user"), field="user")
        form = valid(DesignateAdoForm(data))
        designation = call(
            services.membership_designate_ado,
            agency=agency,
            acting_user=request.user,
            **form.cleaned_data,
        )
        return Response(AdoSerializer(designation).data, status=status.HTTP_201_CREATED)


class Unknown(APIView):
    """Any other path under /api/v1/ (a negative id, a malformed slug): a JSON 404 like the API's
    other answers, after authentication, rather than the site's HTML error page."""

    def http_method_not_allowed(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound("No such API endpoint.")

    options = http_method_not_allowed
