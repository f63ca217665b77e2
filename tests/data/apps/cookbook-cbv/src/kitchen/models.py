from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse


class Recipe(models.Model):
    class Category(models.TextChoices):
        BREAKFAST = "breakfast", "Breakfast"
        MAIN = "main", "Main course"
        VEGETARIAN = "vegetarian", "Vegetarian"
        VEGAN = "vegan", "Vegan"
        DESSERT = "dessert", "Dessert"

    title = models.CharField(max_length=200)
    ingredients = models.TextField(help_text="One ingredient per line.")
    instructions = models.TextField()
    category = models.CharField(max_length=20, choices=Category.choices)
    servings = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1)]
    )
    image = models.ImageField(upload_to="recipes/%Y/%m/")
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
        return reverse("kitchen:recipe-detail", kwargs={"pk": self.pk})

    def ingredient_list(self):
        return [line.strip() for line in self.ingredients.splitlines() if line.strip()]
