from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mine/", views.my_agency, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/ado/", views.designate_ado, name="designate_ado"),
    path("<slug:slug>/members/add/", views.add_member, name="add_member"),
    path("<slug:slug>/members/<int:pk>/end/", views.end_member, name="end_member"),
]
