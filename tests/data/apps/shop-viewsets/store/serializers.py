from django.db import transaction
from django.db.models import F
from rest_framework import serializers

from .models import Order, Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description", "price", "stock"]


class OrderSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    product_name = serializers.CharField(source="product.name", read_only=True)
    quantity = serializers.IntegerField()

    class Meta:
        model = Order
        fields = ["id", "product", "product_name", "quantity", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_quantity(self, value):
        if value < 1:
            raise serializers.ValidationError("Quantity must be at least 1.")
        return value

    def validate(self, attrs):
        product = attrs["product"]
        if attrs["quantity"] > product.stock:
            raise serializers.ValidationError(
                {"quantity": [self._stock_message(product)]}
            )
        return attrs

    @staticmethod
    def _stock_message(product):
        if product.stock == 0:
            return f"'{product.name}' is out of stock."
        return f"Only {product.stock} of '{product.name}' left in stock."

    def create(self, validated_data):
        quantity = validated_data["quantity"]
        with transaction.atomic():
            # lock the product row so two orders can't both take the last item
            product = Product.objects.select_for_update().get(
                pk=validated_data["product"].pk
            )
            if quantity > product.stock:
                raise serializers.ValidationError(
                    {"quantity": [self._stock_message(product)]}
                )
            Product.objects.filter(pk=product.pk).update(
                stock=F("stock") - quantity
            )
            validated_data["product"] = product
            return Order.objects.create(**validated_data)
