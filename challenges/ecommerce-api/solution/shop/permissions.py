from rest_framework import permissions


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone may read; only staff may change the catalogue."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)
