"""Aggregation with suppression (issue 7): preview a publication's source aggregated and
suppressed, then save it as the source of a publication of the same agency."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from publishing import suppression_services
from publishing.forms import SaveSuppressedForm, SuppressionForm
from publishing.models import Publication

MANAGE = "publishing.manage_publication"


def _targets(user, publication: Publication):
    publications = permissions.visible_publications(user).filter(agency_id=publication.agency_id)
    return publications.select_related("dataset").exclude(kind="external").order_by("pk")


def _preview_rows(table) -> list[dict]:
    rows = table.published().head(suppression_services.PREVIEW_ROWS)
    return [
        {
            "labels": [row[name] for name in table.by],
            "value": row[table.value],
            "suppressed": bool(row["suppressed"]),
        }
        for _, row in rows.iterrows()
    ]


@login_required
@require_GET
def suppression_preview(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    columns = publication.columns
    form = SuppressionForm(request.GET or None, columns=columns)
    context = {"publication": publication, "form": form, "table": None, "rows": []}
    if request.GET and form.is_valid():
        try:
            table = suppression_services.suppressed_table(publication, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            save_form = SaveSuppressedForm(
                initial={**form.cleaned_data, "target": publication.pk},
                columns=columns,
                targets=_targets(request.user, publication),
            )
            context.update(table=table, rows=_preview_rows(table), save_form=save_form)
            context["hidden"] = int(table.table["suppressed"].sum())
    return render(request, "publishing/suppress.html", context)


@login_required
@require_POST
def suppression_save(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    targets = _targets(request.user, publication)
    form = SaveSuppressedForm(request.POST, columns=publication.columns, targets=targets)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("publishing:suppress", pk)
    data = form.cleaned_data
    target = permissions.get_publication_for_user(request.user, data.pop("target").pk, perm=MANAGE)
    try:
        suppression_services.save_as_source(
            source=publication, target=target, acting_user=request.user, **data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("publishing:suppress", pk)
    messages.success(request, "Saved as the new source; confirm its columns before the push.")
    return redirect(target)
