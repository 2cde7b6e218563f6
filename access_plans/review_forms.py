"""The DAPA analyst's part in plan review (kept apart from forms.py, the ADO's item forms)."""

from __future__ import annotations

from django import forms

from access_plans.choices import Recommendation
from agencies.forms import UswdsFormMixin


class RecommendationForm(UswdsFormMixin, forms.Form):
    recommendation = forms.ChoiceField(
        choices=[("", "No recommendation, a comment only"), *Recommendation.choices],
        widget=forms.RadioSelect,
        required=False,
        label="Your recommendation to the Chief Data Officer",
        help_text="The CDO decides; your recommendation and comment are shown on this page.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Comment for the Chief Data Officer",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="dapa", **kwargs)
