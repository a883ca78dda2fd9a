from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.translation import gettext_lazy as _

from kinerja.accounts import people_views, views

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/pemberitahuan/", views.notices, name="notices"),
    path("pengguna/", views.users, name="users"),
    path(
        "pengguna/<int:pk>/kata-sandi-sementara/",
        views.temporary_password,
        name="temporary_password",
    ),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_done.html",
            extra_context={"message": _("Kata sandi Anda sudah diubah.")},
        ),
        name="password_change_done",
    ),
    path("masuk/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "masuk/lupa/terkirim/",
        login_not_required(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_done.html",
                extra_context={
                    "message": _(
                        "Bila alamat itu terdaftar, tautan untuk membuat kata sandi baru sudah "
                        "dikirim ke sana. Periksa kotak masuk (dan folder spam) Anda."
                    )
                },
            )
        ),
        name="password_reset_done",
    ),
    path(
        "masuk/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "masuk/reset/selesai/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_done.html",
                extra_context={"message": _("Kata sandi baru tersimpan; silakan masuk.")},
            )
        ),
        name="password_reset_complete",
    ),
    path("akun/token/<int:pk>/cabut/", views.api_token_revoke, name="api_token_revoke"),
    path("pegawai/", people_views.people, name="people"),
    path("pegawai/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("pegawai/impor/", people_views.personnel_import, name="personnel_import"),
    path(
        "pegawai/impor/templat.xlsx",
        people_views.personnel_template,
        name="personnel_template",
    ),
    path(
        "pegawai/impor/<int:pk>/",
        people_views.personnel_import_preview,
        name="personnel_import_preview",
    ),
    path(
        "pegawai/impor/<int:pk>/simpan/",
        people_views.personnel_import_save,
        name="personnel_import_save",
    ),
]
