from django.apps import AppConfig


class AuctionConfig(AppConfig):
    name = "kinerja.auction"
    label = "auction"
    verbose_name = "Lelang Kinerja"
