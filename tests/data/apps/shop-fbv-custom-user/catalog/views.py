from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from .models import Order, Product
from .serializers import OrderInputSerializer, ProductSerializer, order_to_dict


class IsStaffOrReadOnly(BasePermission):
    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


@api_view(["GET", "POST"])
@permission_classes([IsStaffOrReadOnly])
def product_list(request):
    if request.method == "GET":
        products = Product.objects.all()
        return Response(ProductSerializer(products, many=True).data)

    serializer = ProductSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    product = Product.objects.create(**serializer.validated_data)
    return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


@api_view(["GET"])
@permission_classes([IsStaffOrReadOnly])
def product_detail(request, pk):
    product = get_object_or_404(Product, pk=pk)
    return Response(ProductSerializer(product).data)


@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def order_list(request):
    if request.method == "GET":
        orders = Order.objects.filter(user=request.user).select_related("product")
        return Response([order_to_dict(o) for o in orders])

    serializer = OrderInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    product_id = serializer.validated_data["product"]
    quantity = serializer.validated_data["quantity"]

    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=product_id).first()
        if product is None:
            return Response(
                {"product": [f'Invalid pk "{product_id}" - object does not exist.']},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if quantity > product.stock:
            if product.stock == 0:
                message = "This product is out of stock."
            else:
                message = f"Only {product.stock} left in stock."
            return Response({"quantity": [message]}, status=status.HTTP_400_BAD_REQUEST)

        updated = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not updated:  # cannot happen under the lock, but never oversell
            return Response(
                {"quantity": ["Not enough stock."]}, status=status.HTTP_400_BAD_REQUEST
            )
        order = Order.objects.create(user=request.user, product=product, quantity=quantity)

    return Response(order_to_dict(order), status=status.HTTP_201_CREATED)
