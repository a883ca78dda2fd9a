from django.contrib.auth import views as auth_views
from django.urls import path

from kinerja.accounts import views

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/token/<int:pk>/cabut/", views.api_token_revoke, name="api_token_revoke"),
]
