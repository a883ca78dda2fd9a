"""A refused page says why."""


def test_the_403_page_gives_the_reason(world):
    response = world.client("operator_a").get("/dasbor/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Akses ditolak" in body
    assert "Hanya pimpinan, perencana dan inspektorat." in body
