"""The OpenAPI description of the refusals every endpoint may give, so that clients (and schemathesis) know them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused")


FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: each field with its errors")
REFUSALS = {
    "401": OpenApiResponse(ErrorSerializer, description="No token, or an unknown, revoked or expired one"),
    "403": OpenApiResponse(ErrorSerializer, description="Not allowed: the reason says why"),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests: retry after Retry-After seconds"),
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        refusals = dict(REFUSALS)
        if "{" in self.path:
            refusals["404"] = OpenApiResponse(ErrorSerializer, description="No such object")
        if self.method != "GET" or self.get_override_parameters() or self._get_filter_parameters():
            refusals["400"] = FIELD_ERRORS
        if self.method == "PATCH":
            refusals["409"] = OpenApiResponse(ErrorSerializer, description="Saved by someone else since `version`")
        if self.method == "GET":
            refusals["304"] = OpenApiResponse(description="Not modified (If-None-Match): the copy held is current")
        for code, response in refusals.items():
            bodies.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return bodies
