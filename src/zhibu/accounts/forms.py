from django import forms

from zhibu.core.forms import ScopedForm


class LoginForm(ScopedForm):
    username = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordChangeForm(ScopedForm):
    old_password = forms.CharField(label="原密码", strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput,
        help_text="至少 10 位，包含小写字母、大写字母、数字、符号中的至少 3 类，"
        "不能由用户名变化而来，不能与最近 5 次的密码相同。",
    )
    new_password2 = forms.CharField(label="再次输入新密码", strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class TokenForm(ScopedForm):
    name = forms.CharField(label="用途", max_length=100, required=False)
