"""Inventory pages for agency users, and the review page for the CDO and DAPA."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from agencies.forms import add_service_errors
from inventories import extensions, selectors, services
from inventories.choices import InventoryStatus
from inventories.forms import DatasetForm, ReviewForm, StartInventoryForm, SubmitForm
from inventories.models import Inventory
from inventories.page_filters import DatasetTableFilter
from inventories.quality import dataset_quality

ATTESTATION = (
    "I attest that this inventory lists the high-value data of the agency as determined by the "
    "department head under CGS §4-67o, and that the information in it is accurate and complete "
    "to the best of my knowledge."
)


@login_required
@require_GET
def inventory_list(request: HttpRequest) -> HttpResponse:
    inventories = (
        permissions.visible_inventories(request.user)
        .select_related("agency")
        .order_by("-year", "agency__name")
    )
    status = request.GET.get("status", "")
    if status in InventoryStatus.values:
        inventories = inventories.filter(status=status)
    agencies = permissions.visible_agencies(request.user).filter(
        pk__in=list(permissions.agency_roles(request.user))
    )
    return render(
        request,
        "inventories/list.html",
        {
            "inventories": inventories,
            "statuses": InventoryStatus.choices,
            "status": status,
            "startable": selectors.with_this_years(
                [a for a in agencies if request.user.has_perm("inventories.start_inventory", a)],
                Inventory.objects.all(),
            ),
            "start_form": StartInventoryForm(initial={"year": timezone.localdate().year}),
        },
    )


@login_required
@require_POST
def inventory_start(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="inventories.start_inventory")
    form = StartInventoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a year between 2014 and 2100.")
        return redirect("inventories:list")
    try:
        inventory = services.inventory_start(
            agency=agency, year=form.cleaned_data["year"], acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inventories:list")
    count = inventory.datasets.count()
    messages.success(request, f"{inventory} started with {count} datasets carried forward.")
    return redirect(inventory)


@login_required
@require_GET
def inventory_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(request.user, slug, year)
    table = DatasetTableFilter(request.GET, queryset=selectors.inventory_datasets(inventory))
    datasets = list(table.qs)
    for dataset in datasets:
        dataset.quality = dataset_quality(dataset)
    user = request.user
    context = {
        "inventory": inventory,
        "filter": table,
        "datasets": datasets,
        "total": inventory.datasets.count(),
        "comments": inventory.comments.filter(dataset__isnull=True).select_related("author"),
        "may_edit": inventory.is_editable
        and user.has_perm("inventories.edit_inventory", inventory),
        "may_submit": inventory.is_editable
        and user.has_perm("inventories.submit_inventory", inventory),
        "may_review": inventory.status == InventoryStatus.SUBMITTED
        and user.has_perm("inventories.review_inventory", inventory),
    }
    return render(request, "inventories/detail.html", context)


def _inline_validation(form: DatasetForm, inventory, dataset) -> None:
    url = reverse("inventories:dataset_validate", args=[inventory.agency.slug, inventory.year])
    form.enable_inline_validation(url, **({"_dataset": str(dataset.pk)} if dataset else {}))


def _dataset_form_page(request, inventory, dataset=None) -> HttpResponse:
    if not inventory.is_editable:
        messages.error(
            request,
            f"The {inventory.year} inventory is {inventory.get_status_display().lower()}: "
            "it can be changed again only if the reviewer returns it.",
        )
        return redirect(inventory)
    form = DatasetForm(request.POST or None, instance=dataset, inventory=inventory)
    _inline_validation(form, inventory, dataset)
    if request.method == "POST" and form.is_valid():
        try:
            if dataset is None:
                dataset = services.dataset_create(
                    inventory=inventory, data=form.dataset_data(), acting_user=request.user
                )
            else:
                services.dataset_update(
                    dataset=dataset, data=form.dataset_data(), acting_user=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved “{dataset.title}”.")
            return redirect(inventory)
    return render(
        request,
        "inventories/dataset_form.html",
        {"inventory": inventory, "form": form, "dataset": dataset},
    )


@login_required
def dataset_create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    return _dataset_form_page(request, inventory)


@login_required
def dataset_edit(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    dataset = permissions.get_dataset_for_user(request.user, inventory, pk)
    return _dataset_form_page(request, inventory, dataset)


@login_required
@require_POST
def dataset_validate(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """htmx inline validation: the form group of one field, with its errors, nothing saved."""
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    pk = request.POST.get("_dataset")
    dataset = (
        permissions.get_dataset_for_user(request.user, inventory, int(pk))
        if pk and pk.isdigit()
        else None
    )
    form = DatasetForm(request.POST, instance=dataset, inventory=inventory)
    _inline_validation(form, inventory, dataset)
    name = request.POST.get("_field", "")
    if name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()
    return render(request, "includes/field.html", {"field": form[name], "form": form})


@login_required
@require_GET
def dataset_detail(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(request.user, slug, year)
    dataset = permissions.get_dataset_for_user(request.user, inventory, pk)
    context = {
        "inventory": inventory,
        "dataset": dataset,
        "form": DatasetForm(instance=dataset, inventory=inventory),
        "comments": dataset.comments.select_related("author"),
        "quality": dataset_quality(dataset),
        "history": dataset.history.select_related("history_user")[:20],
        "may_edit": inventory.is_editable
        and request.user.has_perm("inventories.edit_inventory", inventory),
        **extensions.dataset_page_extras(request, dataset),
    }
    return render(request, "inventories/dataset_detail.html", context)


@login_required
@require_POST
def dataset_delete(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    dataset = permissions.get_dataset_for_user(request.user, inventory, pk)
    try:
        services.dataset_delete(dataset=dataset, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed “{dataset.title}” from the {year} inventory.")
    return redirect(inventory)


@login_required
def inventory_submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.submit_inventory"
    )
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inventory_submit(
                inventory=inventory,
                attested_name=form.cleaned_data["attested_name"],
                attestation=ATTESTATION,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The {year} inventory was submitted for review.")
            return redirect(inventory)
    return render(
        request,
        "inventories/submit.html",
        {"inventory": inventory, "form": form, "attestation": ATTESTATION},
    )


@login_required
def inventory_review(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.review_inventory"
    )
    datasets = list(inventory.datasets.all())
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notes = {d.pk: request.POST.get(f"note-{d.pk}", "") for d in datasets}
        try:
            _decide(inventory, form.cleaned_data, notes, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The {year} inventory was {inventory_status_word(form)}.")
            return redirect(inventory)
    return render(
        request,
        "inventories/review.html",
        {
            "inventory": inventory,
            "form": form,
            "datasets": datasets,
            "changes": selectors.year_over_year(inventory),
        },
    )


def inventory_status_word(form: ReviewForm) -> str:
    return "accepted" if form.cleaned_data["decision"] == "accept" else "returned to the agency"


def _decide(inventory, data: dict, notes: dict[int, str], user) -> None:
    if data["decision"] == "accept":
        services.inventory_accept(inventory=inventory, comment=data["comment"], acting_user=user)
    else:
        services.inventory_return(
            inventory=inventory, comment=data["comment"], dataset_comments=notes, acting_user=user
        )


@login_required
@require_GET
def inventory_changes(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = permissions.get_inventory_for_user(request.user, slug, year)
    return render(
        request,
        "inventories/changes.html",
        {"inventory": inventory, "changes": selectors.year_over_year(inventory)},
    )
