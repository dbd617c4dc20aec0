from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.images import image_check_pixels
from reseau_acv.core.models import Theme

from .models import User


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres."),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif p1:
            candidate = User(
                email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PhotoField(forms.ImageField):
    """An image field that refuses a huge picture with its own message before decoding it."""

    def to_python(self, data):
        if data:
            image_check_pixels(data)
        return super().to_python(data)


class ProfileForm(forms.ModelForm):
    photo_upload = PhotoField(
        label=_("Nouvelle photo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP ; elle sera recadrée en carré."),
    )
    remove_photo = forms.BooleanField(label=_("Retirer ma photo"), required=False)
    themes_expertise = forms.ModelMultipleChoiceField(
        label=_("Mes thèmes d'expertise"),
        queryset=Theme.objects.order_by("ordre", "nom"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les thèmes sur lesquels vous pouvez aider : ils figurent sur votre page de membre."),
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            # Not the organisation: the invitation sets it, staff change it (a <select> of every
            # organisation would also hold thousands of options at national scale).
            "fonction",
            "telephone",
            "themes_expertise",
            "expertise",
            "consentement_annuaire",
        ]
        widgets = {"telephone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}
        labels = {"expertise": _("Mon expertise en quelques mots")}

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            from .services import photo_normalise

            photo_normalise(upload)  # raises ValidationError for anything that is not an image
        return upload
