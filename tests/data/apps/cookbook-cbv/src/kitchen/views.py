from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import CreateView, DetailView, ListView

from .forms import RecipeForm
from .models import Recipe


class RecipeListView(ListView):
    model = Recipe
    context_object_name = "recipes"
    template_name = "kitchen/recipe_list.html"

    def get_queryset(self):
        return Recipe.objects.select_related("author")


class RecipeDetailView(DetailView):
    model = Recipe
    context_object_name = "recipe"
    template_name = "kitchen/recipe_detail.html"

    def get_queryset(self):
        return Recipe.objects.select_related("author")


class RecipeCreateView(LoginRequiredMixin, CreateView):
    model = Recipe
    form_class = RecipeForm
    template_name = "kitchen/recipe_form.html"

    def form_valid(self, form):
        form.instance.author = self.request.user
        return super().form_valid(form)
