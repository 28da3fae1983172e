"""The addresses of the workspace, in Vietnamese words a clerk can read in the address bar."""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path, register_converter
from django.views.static import serve

from cchc_gen.web import admin, password, province, views


class UnitCode:
    """A unit code as the registry allows it; whether the registry has it is the view's to check."""

    regex = r"[a-z0-9][a-z0-9-]{0,38}[a-z0-9]|[a-z0-9]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PeriodCode(UnitCode):
    regex = r"\d{4}(?:-(?:Q[1-4]|6TC|6T|9T))?"


class DownloadKind(UnitCode):
    regex = r"docx|pdf|xlsx|yaml"


register_converter(UnitCode, "unit")
register_converter(PeriodCode, "period")
register_converter(DownloadKind, "kind")

report = [
    path("", views.report_page, name="report"),
    path("tai-ve/<kind:kind>/", views.download, name="download"),
    path("xem-truoc/", views.preview, name="preview"),
    path("xem-truoc/trang-<int:page>.png", views.preview_page, name="preview-page"),
    path("nop/", views.submit, name="submit"),
    path("tu-luu/", views.autosave, name="autosave"),
    path("ban-nhap/", views.draft_action, name="draft"),
    path("lich-su/", views.history, name="history"),
    path("lich-su/<int:number>/", views.revision_page, name="revision"),
    path("lich-su/<int:number>/khoi-phuc/", views.restore, name="restore"),
]

workspace = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_page, name="login"),
    path("dang-xuat/", views.logout_page, name="logout"),
    path("doi-mat-khau/", password.change, name="change-password"),
    path("bat-dau/<unit:unit>/", views.start, name="start"),
    path("bao-cao/<unit:unit>/<period:period>/", include(report)),
    path("ky-bao-cao/mo/", province.open_period, name="open-period"),
    path("tong-quan/<period:period>/", province.dashboard, name="dashboard"),
    path("tong-quan/<period:period>/tra-lai/<unit:unit>/", province.send_back, name="send-back"),
    path("tong-quan/<period:period>/tong-hop/", province.roll_up, name="roll-up"),
    path("tong-quan/<period:period>/tai-ca/", province.zip_all, name="zip-all"),
    path("tong-quan/<period:period>/thu-thap/", province.collection_download, name="collection"),
    path("tong-quan/<period:period>/thu-thap/nhap/", province.collection_upload, name="collection-upload"),
    path("goi/<int:job>/", province.job_page, name="job"),
    path("goi/<int:job>/tiep-tuc/", province.job_resume, name="job-resume"),
    path("goi/<int:job>/tai-ve/", province.job_download, name="job-download"),
    path("nhat-ky/", province.audit_log, name="audit-log"),
    path("quan-tri/", admin.overview, name="admin"),
    path("quan-tri/tai-khoan/", admin.accounts, name="admin-accounts"),
    path("quan-tri/bo-mau/", admin.profile_upload, name="admin-profile"),
    path("quan-tri/danh-muc/", admin.registry_upload, name="admin-registry"),
    path("quan-tri/danh-muc/tai-ve/", admin.registry_download, name="admin-registry-download"),
    path("quan-tri/ky-bao-cao/", admin.period_profile, name="admin-period"),
]

urlpatterns = [
    path("", include((workspace, "cchc"))),
    path(f"{settings.STATIC_URL.strip('/')}/<path:path>", serve, {"document_root": settings.CCHC_STATIC_DIR}),
]

handler400 = views.bad_request
handler403 = views.forbidden
handler404 = views.not_found
handler500 = views.server_error
