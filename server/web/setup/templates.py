"""Checklist templates of a site: list, create, the draft editor, publish,
copy, the starting library, JSON import/export, and read-only versions."""

from __future__ import annotations

import json
import re

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.domain import checklist, checklist_form, reference_photo
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.lib import json_depth
from server.services import setup_reference_photos, setup_sites, setup_templates
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.settings import Settings
from server.storage.base import BlobStore
from server.web.setup.common import Form, attempt, errors_of, read_form, render, see_other

HEADER = ("key", "name_zh", "name_en", "department")
_REF_FILE = re.compile(r"items-(\d{1,3})-reference_file")
# A phone photo is bigger than the app-wide body limit; the photo pipeline
# enforces MAX_PHOTO_BYTES per image with its own coded refusal.
EDITOR_MAX_BODY = 64 * 1024 * 1024


def ref_url(ref: str | None, size: str = "thumb") -> str:
    """Where the editor and the version page show an item's reference photo."""
    if reference_photo.is_stored(ref):
        return reference_photo.url(ref, size)
    return ref if isinstance(ref, str) and ref.startswith(("https://", "/")) else ""


async def _list_page(request: Request, user: CurrentUser, site: dict, *, values: dict | None = None,
                     errors: dict | None = None, status: int = 200) -> Template:
    others = [s for s in await setup_sites.site_summaries(user) if s["id"] != site["id"]]
    return render(request, "setup/templates.html", user, site=site, tab="templates", errors=errors, status=status,
                  templates=await setup_templates.list_templates(site["id"]), library=setup_templates.library(),
                  values=values or {}, departments=rules.DEPARTMENTS, other_sites=others)


@get("/console/setup/sites/{site_id:int}/templates", include_in_schema=False)
async def templates_page(request: Request, site_id: FromPath[int],
                         console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    return await _list_page(request, console_user, site)


@post("/console/setup/sites/{site_id:int}/templates", include_in_schema=False, status_code=200)
async def template_create(request: Request, site_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    values = (await read_form(request)).dict(*HEADER)
    tid, error = await attempt(setup_templates.create, site_id, values, actor=console_user)
    if error:
        return await _list_page(request, console_user, site, values=values,
                                errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/templates/{tid}", "template_created")


@post("/console/setup/sites/{site_id:int}/templates/library/{key:str}", include_in_schema=False, status_code=303)
async def template_from_library(site_id: FromPath[int], key: FromPath[str],
                                console_user: NamedDependency[CurrentUser]) -> Redirect:
    tid = await setup_templates.add_from_library(site_id, key, actor=console_user)
    return see_other(f"/console/setup/sites/{site_id}/templates/{tid}", "from_library")


@post("/console/setup/sites/{site_id:int}/templates/import", include_in_schema=False, status_code=200)
async def template_import(request: Request, site_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    upload = form.file("file")
    text = (await upload.read()).decode("utf-8-sig", "replace") if upload is not None else form.get("text")
    try:
        raw = json_depth.loads(text)
    except ValueError:
        error = RoundsError("invalid_document", {"field": "file", "reason": "not JSON"})
        return await _list_page(request, console_user, site, errors=errors_of(error, console_user.language),
                                status=422)
    tid, error = await attempt(setup_templates.import_document, site_id, raw, actor=console_user)
    if error:
        return await _list_page(request, console_user, site, errors=errors_of(error, console_user.language),
                                status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/templates/{tid}", "template_imported")


async def _editor(request: Request, user: CurrentUser, site: dict, template_id: int, *,
                  header: dict | None = None, items: list[dict] | None = None, errors: dict | None = None,
                  unsaved: bool = False, status: int = 200) -> Template:
    row = await setup_templates.get(site["id"], template_id)
    others = [s for s in await setup_sites.site_summaries(user) if s["id"] != site["id"]]
    return render(request, "setup/template_edit.html", user, site=site, tab="templates", tpl=row,
                  values=header or row, items=items if items is not None else checklist_form.form_rows(row["draft_items"]),
                  errors=errors, unsaved=unsaved, status=status, kinds=checklist.KINDS,
                  departments=rules.DEPARTMENTS, other_sites=others, ref_url=ref_url,
                  uses=await setup_templates.in_rounds(template_id))


@get("/console/setup/sites/{site_id:int}/templates/{template_id:int}", include_in_schema=False)
async def template_page(request: Request, site_id: FromPath[int], template_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    return await _editor(request, console_user, site, template_id)


async def _take_reference_uploads(form: Form, site_id: int, template_id: int, user: CurrentUser,
                                  store: BlobStore, settings: Settings) -> tuple[int, RoundsError] | None:
    """Store every reference photo chosen in the form and put its id in the
    item's field. (index, refusal) for the first bad file."""
    for key in form.keys():
        m = _REF_FILE.fullmatch(key)
        upload = form.file(key) if m else None
        if upload is None:
            continue
        data = await upload.read()
        if not data and not upload.filename:
            continue  # the file field was left empty
        try:
            ref = await setup_reference_photos.upload(
                site_id, data, actor=user, store=store, max_bytes=settings.max_photo_bytes,
                max_pixels=settings.max_image_pixels, template_id=template_id)
        except RoundsError as exc:
            if exc.code in ("forbidden", "site_forbidden"):
                raise
            return int(m[1]), exc
        form.override(f"items-{m[1]}-reference_photo", ref)
    return None


@post("/console/setup/sites/{site_id:int}/templates/{template_id:int}", include_in_schema=False, status_code=200,
      request_max_body_size=EDITOR_MAX_BODY)
async def template_save(request: Request, site_id: FromPath[int], template_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser], store: NamedDependency[BlobStore],
                        settings: NamedDependency[Settings]) -> Template | Redirect:
    """One form for the whole draft. "save" and "publish" write; the item
    buttons (add, up, down, delete, remove a reference photo) only rearrange
    the form, unsaved. A reference photo chosen in any item is stored with
    whatever button was pressed and shown at once."""
    site = await require_site(console_user, site_id)
    await setup_templates.get(site_id, template_id)
    form = await read_form(request)
    op = form.get("op") or "save"
    header = form.dict("name_zh", "name_en", "department")

    def lenient() -> list[dict]:
        return checklist_form.form_rows(checklist_form.lenient_items(form.getall, form.keys()))

    refused = await _take_reference_uploads(form, site_id, template_id, console_user, store, settings)
    if refused is not None:
        index, exc = refused
        errors = errors_of(exc, console_user.language)
        errors[f"items-{index}-reference_photo"] = errors["_"]
        return await _editor(request, console_user, site, template_id, header=header, items=lenient(),
                             errors=errors, unsaved=True, status=exc.status or 422)
    name, _, arg = op.partition(":")
    if name == "unref" and arg.isdigit():
        form.override(f"items-{int(arg)}-reference_photo", "")
    if op not in ("save", "publish"):
        items = checklist_form.apply_op(checklist_form.lenient_items(form.getall, form.keys()), op)
        return await _editor(request, console_user, site, template_id, header=header,
                             items=checklist_form.form_rows(items), unsaved=True)
    try:
        items = checklist_form.items_from_form(form.getall, form.keys())
        await setup_templates.save_draft(site_id, template_id, header, items, actor=console_user)
        if op == "publish":
            version, created = await setup_templates.publish(site_id, template_id, actor=console_user)
            return see_other(f"/console/setup/sites/{site_id}/templates/{template_id}",
                             "published" if created else "unchanged")
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "not_found"):
            raise
        return await _editor(request, console_user, site, template_id, header=header, items=lenient(),
                             errors=errors_of(exc, console_user.language), unsaved=True, status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/templates/{template_id}", "draft_saved")


@post("/console/setup/sites/{site_id:int}/templates/{template_id:int}/copy", include_in_schema=False,
      status_code=303)
async def template_copy(request: Request, site_id: FromPath[int], template_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Redirect:
    form = await read_form(request)
    target = int(form.get("to_site")) if form.get("to_site").isdigit() else site_id
    tid = await setup_templates.copy(site_id, template_id, actor=console_user, to_site=target)
    return see_other(f"/console/setup/sites/{target}/templates/{tid}", "copied")


@post("/console/setup/sites/{site_id:int}/templates/{template_id:int}/discard", include_in_schema=False,
      status_code=200)
async def template_discard(request: Request, site_id: FromPath[int], template_id: FromPath[int],
                           console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    _, error = await attempt(setup_templates.discard_draft, site_id, template_id, actor=console_user)
    if error:
        return await _editor(request, console_user, site, template_id, errors=errors_of(error, console_user.language),
                             status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/templates/{template_id}", "discarded")


@get("/console/setup/sites/{site_id:int}/templates/{template_id:int}/export.json", include_in_schema=False)
async def template_export(site_id: FromPath[int], template_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Response:
    doc = await setup_templates.export_document(site_id, template_id, actor=console_user)
    return Response(json.dumps(doc, ensure_ascii=False, indent=2).encode(), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="template-{doc["key"]}.json"',
                             "Cache-Control": "no-store"})


@get("/console/setup/sites/{site_id:int}/versions/{version_id:int}", include_in_schema=False)
async def version_page(request: Request, site_id: FromPath[int], version_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    version = await setup_templates.version(site_id, version_id)
    return render(request, "setup/version.html", console_user, site=site, tab="templates", version=version,
                  ref_url=ref_url)


HANDLERS = [templates_page, template_create, template_from_library, template_import, template_page, template_save,
            template_copy, template_discard, template_export, version_page]
