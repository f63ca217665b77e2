from django import forms

from .models import Recipe


class RecipeForm(forms.ModelForm):
    class Meta:
        model = Recipe
        fields = ["title", "category", "servings", "ingredients", "instructions", "image"]
        widgets = {
            "ingredients": forms.Textarea(attrs={"rows": 6}),
            "instructions": forms.Textarea(attrs={"rows": 8}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
