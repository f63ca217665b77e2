from django.db import transaction
from rest_framework import serializers

from .models import Order, Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "price", "stock"]


class OrderSerializer(serializers.ModelSerializer):
    quantity = serializers.IntegerField(min_value=1)

    class Meta:
        model = Order
        fields = ["id", "product", "quantity", "created"]
        read_only_fields = ["created"]

    def create(self, validated_data):
        # Checking the stock and taking the quantity from it happen in one
        # transaction with the product row locked, so two orders racing for
        # the last item cannot both succeed (select_for_update locks the row
        # on databases that support it; SQLite serialises writers anyway).
        quantity = validated_data["quantity"]
        with transaction.atomic():
            product = Product.objects.select_for_update().get(pk=validated_data["product"].pk)
            if quantity > product.stock:
                raise serializers.ValidationError(
                    {"quantity": [f"Only {product.stock} of {product.name} in stock."]}
                )
            product.stock -= quantity
            product.save(update_fields=["stock"])
            validated_data["product"] = product
            return super().create(validated_data)
