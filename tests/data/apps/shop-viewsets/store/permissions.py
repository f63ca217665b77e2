from rest_framework import permissions


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone can read; only staff users can write."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)


class IsOrderOwner(permissions.BasePermission):
    """Only the user who placed an order can see it."""

    def has_object_permission(self, request, view, obj):
        return obj.user_id == request.user.id
