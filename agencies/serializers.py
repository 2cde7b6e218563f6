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
