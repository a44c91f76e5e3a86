from django.urls import reverse


def test_french_by_default_whatever_the_browser_says(client, db):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.headers["Content-Language"] == "fr"
    assert "Se connecter" in response.content.decode()


def test_english_can_be_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"}, follow=True)
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
