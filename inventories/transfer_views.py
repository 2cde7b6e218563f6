"""Spreadsheet template, export and import pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies import permissions
from inventories import uploads
from inventories.exporting import export_csv, export_xlsx
from inventories.forms import ImportUploadForm
from inventories.importer import commit_import, preview_parsed, stored_sheet
from inventories.models import InventoryImport

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
@require_GET
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    content = export_xlsx([], with_hints=True) if fmt == "xlsx" else export_csv([])
    return _download(content, fmt, "ctodp-inventory-template")


@login_required
@require_GET
def export(request: HttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    inventory = permissions.get_inventory_for_user(request.user, slug, year)
    datasets = inventory.datasets.order_by("title")
    content = export_xlsx(datasets) if fmt == "xlsx" else export_csv(datasets)
    return _download(content, fmt, f"{slug}-{year}-inventory")


@login_required
def import_upload(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if uploads.refusal(request):  # stopped while it streamed in: nothing was kept
        messages.error(request, uploads.refusal(request))
        form = ImportUploadForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = InventoryImport(
            inventory=inventory, original_name=upload.name[:255], uploaded_by=request.user
        )
        record.file.save(upload.name, upload, save=False)
        record.save()
        return redirect("inventories:import_preview", slug, year, record.pk)
    return render(request, "inventories/import_upload.html", {"inventory": inventory, "form": form})


@login_required
def import_preview(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    record = get_object_or_404(inventory.imports, pk=pk, committed_at__isnull=True)
    preview = preview_parsed(inventory=inventory, parsed=stored_sheet(record))
    if request.method == "POST":
        try:
            created, updated = commit_import(
                inventory=inventory, preview=preview, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            record.committed_at = timezone.now()
            record.rows_created, record.rows_updated = created, updated
            record.save(update_fields=["committed_at", "rows_created", "rows_updated"])
            messages.success(
                request, f"Imported {record.original_name}: {created} added, {updated} updated."
            )
            return redirect(inventory)
    return render(
        request,
        "inventories/import_preview.html",
        {"inventory": inventory, "record": record, "preview": preview},
    )
