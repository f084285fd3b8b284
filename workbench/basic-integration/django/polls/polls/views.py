from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import Choice, Question


def index(request):
    questions = Question.objects.order_by("-published")[:10]
    return render(request, "polls/index.html", {"questions": questions})


def detail(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    return render(request, "polls/detail.html", {"question": question})


@require_POST
def vote(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    choice = get_object_or_404(Choice, pk=request.POST.get("choice"), question=question)
    Choice.objects.filter(pk=choice.pk).update(votes=F("votes") + 1)
    return redirect("polls:detail", question_id=question.id)
