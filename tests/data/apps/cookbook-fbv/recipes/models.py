import os
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


def recipe_image_path(instance, filename):
    """Store uploads as recipes/<uuid>.<ext> so names never clash."""
    ext = os.path.splitext(filename)[1].lower().lstrip(".") or "jpg"
    return f"recipes/{uuid.uuid4().hex}.{ext}"


class Recipe(models.Model):
    class Category(models.TextChoices):
        VEGETARIAN = "vegetarian", "Vegetarian"
        VEGAN = "vegan", "Vegan"
        MAIN = "main", "Main course"
        DESSERT = "dessert", "Dessert"

    title = models.CharField(max_length=200)
    ingredients = models.TextField(help_text="One ingredient per line.")
    instructions = models.TextField()
    category = models.CharField(max_length=20, choices=Category.choices)
    image = models.ImageField(upload_to=recipe_image_path)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recipes",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recipes:detail", args=[self.pk])
