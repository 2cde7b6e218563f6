from rest_framework import serializers

from agencies.models import Agency, Membership


class AdoSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["username", "name", "email", "title", "start_date"]


class AgencyOutputSerializer(serializers.ModelSerializer):
    ado = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:agency-detail", lookup_field="slug")

    class Meta:
        model = Agency
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "acronym",
            "branch",
            "participation",
            "notice_date",
            "website",
            "attribution",
            "contact_email",
            "is_active",
            "ado",
        ]

    def get_ado(self, agency: Agency) -> dict | None:
        designation = agency.current_ado()
        return AdoSerializer(designation).data if designation else None


class DesignateAdoSerializer(serializers.Serializer):
    """The new ADO: an active account that is not program staff."""

    user = serializers.CharField(help_text="Username of the new Agency Data Officer.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, help_text="Recorded in the designation history.")
