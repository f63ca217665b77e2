from decimal import Decimal

from rest_framework import serializers


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0")
    )
    stock = serializers.IntegerField(min_value=0, required=False, default=0)


class OrderInputSerializer(serializers.Serializer):
    """Validates the shape of an order; stock is checked in the view, under a lock."""

    product = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1)

    def to_internal_value(self, data):
        # Accept only real JSON integers: "2" or 2.0 is not a quantity.
        errors = {}
        for field in ("product", "quantity"):
            value = data.get(field) if hasattr(data, "get") else None
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int)
            ):
                errors[field] = ["A whole number is required."]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def order_to_dict(order):
    return {
        "id": order.id,
        "product": order.product_id,
        "product_name": order.product.name,
        "quantity": order.quantity,
        "placed_at": serializers.DateTimeField().to_representation(order.placed_at),
    }
