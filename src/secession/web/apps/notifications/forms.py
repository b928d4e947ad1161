from django import forms


class PreferencesForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Type a whole email address, such as name@example.org."},
    )
    on_open = forms.BooleanField(label="When a vote opens to me", required=False)
    on_reminder = forms.BooleanField(
        label="A day before a vote I have not cast closes", required=False
    )
    on_result = forms.BooleanField(
        label="When the result of a vote I could cast is out", required=False
    )
