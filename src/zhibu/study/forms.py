from django import forms

from zhibu.core.forms import ScopedForm


class ImportForm(ScopedForm):
    file = forms.FileField(
        label="积分文件",
        help_text="学习强国导出的 .xlsx 或 .csv：需有“姓名”“日期”“当日积分”（或“今日积分”）列，"
        "“总积分”（或“累计积分”）可选，其他列忽略。",
    )


class RankingSwitchForm(ScopedForm):
    enabled = forms.BooleanField(
        label="在本组织及下级显示学习强国排名",
        required=False,
        help_text="排名仅供参考，不计入亮灯、评分或考核，也不对个人排名。",
    )


class TargetForm(ScopedForm):
    monthly_avg_points = forms.IntegerField(
        label="月人均积分目标",
        required=False,
        min_value=1,
        max_value=100000,
        help_text="支部自定的参考目标，只在本支部页面显示；留空表示不设目标。不是对个人的指标。",
    )


class NoteForm(ScopedForm):
    member = forms.ModelChoiceField(label="党员", queryset=None, empty_label=None)
    text = forms.CharField(
        label="学习笔记、反思",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="留空并保存将删除该党员本次的笔记。",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
