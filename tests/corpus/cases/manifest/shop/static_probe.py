# Corpus case manifest: every request resolves a static URL, as a base
# template with {% static %} would. Under ManifestStaticFilesStorage without
# a collectstatic manifest this raises, so every answer would be a 500
# unless the grader swapped in the plain storage.
from django.templatetags.static import static


class StaticProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        css = static("shop/site.css")
        response = self.get_response(request)
        response["X-Stylesheet"] = css
        return response
