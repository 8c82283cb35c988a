"""The audit in words: a Chinese label for every verb and a sentence for every entry, with personal data masked.

Verbs are `<object>.<action>` (work records add their kind: `work.<kind>.<action>`, worded as 工作纪实; the
entry's object names which record). A verb named here keeps
its own label; any other is worded from its object and action, so a new verb still reads as Chinese. A test
checks that every verb the code writes has a label without Latin letters."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist

from zhibu.core.crypto import mask_id_number, mask_phone

LABELS = {
    "login.succeeded": "登录成功",
    "login.failed": "登录失败",
    "login.locked": "登录被锁定",
    "logout": "退出登录",
    "password.change": "修改密码",
    "token.create": "创建接口令牌",
    "token.revoke": "撤销接口令牌",
    "token.expired": "接口令牌过期",
    "password.reset": "重置密码",
    "login.delayed": "登录被延迟（失败次数过多）",
    "audit.export": "导出审计日志",
    "attachment.download": "下载附件",
    "job.download": "下载后台任务生成的文件",
    "key.rotate": "轮换数据密钥",
    "key.rotate_files": "用新密钥重新加密上传的文件",
    "member.reveal": "查看完整个人信息",
    "member.status": "登记人员类别变化",
    "member.status_remove": "撤销人员类别变化",
    "member.contact": "登记联系党员情况",
    "member.mobile": "登记流动党员外出",
    "member.mobile_return": "登记流动党员返回",
    "activity.checkin": "扫码签到",
    "activity.checkin_open": "开启扫码签到",
    "activity.checkin_close": "结束扫码签到",
    "development.step": "登记发展党员步骤",
    "development.correct": "更正发展党员记录",
    "development.discipline": "登记处分情况",
    "development.document_view": "查看发展党员材料",
    "development.export_notice": "导出发展党员公示",
    "development.holidays": "设置节假日",
    "development.ruleset": "选择适用细则",
    "development.refresh": "重新计算发展党员期限",
    "job.start": "发起后台任务",
    "job.fail": "后台任务多次失败",
    "light.followup": "登记督办",
    "light.feed_reset": "重置日历订阅地址",
    "report.start": "生成述职报告草稿",
    "report.refresh": "按最新记录更新报告",
    "report.finalise": "定稿述职报告",
    "review.self_assess": "填写自评",
    "review.vote": "民主评议投票",
    "review.count": "统计民主评议票数",
    "review.decide": "确定民主评议等次",
    "round.rate": "述职评议打分",
    "round.submit": "提交述职",
    "study.ranking_switch": "切换学习排名",
    "study.target_set": "设置学习目标",
    "study.target_clear": "取消学习目标",
    "transfer.in": "登记转入",
    "transfer.issue": "开具组织关系介绍信",
    "transfer.receive": "接收组织关系",
    "transfer.cancel": "撤回组织关系介绍信",
    "notice.file_download": "下载通知附件",
    "notice.read": "阅读通知",
    "requirement.notice_link": "为制度要求关联通知",
    "requirement.notice_unlink": "取消制度要求所附通知",
    "work.plan.progress": "更新计划进度",
    "work.problem.status": "更新问题整改状态",
    "ledger.sheet_export": "下载导出表格",
    "ledger.book_export": "下载组织生活记录本",
    "ledger.case_export": "下载发展党员纪实",
    "ledger.dues_export": "下载党费收缴台账",
    "ledger.stats_export": "下载党内统计表",
    "ledger.archive_export": "下载党员电子档案",
    "ledger.template_create": "新建导出模板",
    "ledger.template_revise": "修改导出模板",
    "light.board_export": "导出亮灯看板",
    "org.break_add": "登记假期",
    "org.break_remove": "删除假期",
    "org.elect": "登记换届选举",
    "org.term_rule": "设置任期规定",
}

OBJECTS = {
    "activity": "组织生活记录",
    "activity_kind": "活动类型",
    "attachment": "附件",
    "member": "党员",
    "org": "党组织",
    "role": "角色",
    "requirement": "制度要求",
    "report": "述职报告",
    "round": "述职评议",
    "review": "民主评议",
    "dues": "党费",
    "transfer": "组织关系转接",
    "study": "学习",
    "problem": "问题",
    "development": "发展党员",
    "notice": "通知",
    "work": "工作纪实",
    "token": "接口令牌",
    "ledger": "台账",
    "light": "亮灯",
}
ACTIONS = {
    "create": "新增",
    "record": "登记",
    "update": "修改",
    "delete": "删除",
    "add": "添加",
    "import": "导入",
    "export": "导出",
    "open": "开启",
    "close": "结束",
    "grant": "授予",
    "revoke": "撤销",
    "move": "移动",
    "dissolve": "撤销",
    "retire": "停用",
    "edit": "编辑",
    "payment": "登记交纳",
    "exemption": "登记减免",
    "extra": "登记自愿多交",
    "settings": "修改设置",
    "roll_export": "导出收缴表",
    "document": "上传材料",
    "publish": "发布",
    "note_create": "新增心得",
    "note_delete": "删除心得",
    "photo_add": "添加照片",
    "photo_delete": "删除照片",
}
_LATIN = re.compile(r"[A-Za-z]")


def label(verb: str) -> str:
    if verb in LABELS:
        return LABELS[verb]
    parts = verb.split(".")
    noun = OBJECTS.get(parts[0], "")
    action = ACTIONS.get(parts[-1], "")
    if noun and action:
        return f"{action}{noun}"
    return verb


def has_label(verb: str) -> bool:
    return not _LATIN.search(label(verb))


_ID = re.compile(r"\b\d{17}[\dXx]\b")
_PHONE = re.compile(r"\b1\d{10}\b")


def mask(value) -> str:
    """A detail value as text, with ID numbers and mobile numbers masked wherever they appear."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(mask(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}：{mask(v)}" for k, v in value.items())
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


# Models that moved to another app keep their old label in the entries written before the move (the label is part
# of each entry's hash, so it is never rewritten).
MOVED_MODELS = {
    "dues.transfer": "membership.transfer",
    "dues.contactlog": "membership.contactlog",
    "dues.mobilerecord": "membership.mobilerecord",
}


def _field_name(target_type: str, field: str) -> str:
    try:
        model = apps.get_model(MOVED_MODELS.get(target_type, target_type))
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return DETAIL_NAMES.get(field, field)


DETAIL_NAMES = {
    "count": "数量",
    "full": "含完整个人信息",
    "year": "年度",
    "version": "版本",
    "rows": "行数",
    "format": "格式",
    "from": "起始",
    "to": "截止",
    "template": "模板",
    "attendance": "出勤",
    "title": "标题",
    "targets": "发给",
    "files": "附件数",
    "member": "党员",
    "name": "名称",
    "kind": "类型",
    "topic": "主题",
    "held_on": "日期",
    "role": "角色",
    "username": "账号",
    "reason": "原因",
    "fields": "字段",
    "meetings": "次数",
    "members": "人数",
    "on": "日期",
    "step": "步骤",
    "round": "次序",
    "overdue": "超期",
    "amount": "金额",
    "month": "月份",
    "status": "状态",
    "note": "备注",
    "details": "内容",
    "paid_on": "交纳日期",
    "grade": "等次",
    "score": "分数",
    "level": "等级",
    "summary": "摘要",
    "file": "文件",
    "identifier": "登录名",
    "org": "党组织",
    "errors": "错误",
    "created": "新增",
    "updated": "更新",
    "skipped": "跳过",
}


def details(entry) -> list[str]:
    """The entry's detail as short Chinese lines: changed fields as 'name：old → new', others as 'name：value'."""
    lines = []
    for key, value in (entry.detail or {}).items():
        name = _field_name(entry.target_type, key) if entry.target_type else DETAIL_NAMES.get(key, key)
        if isinstance(value, (list, tuple)) and len(value) == 2 and not isinstance(value[0], (list, dict)):
            lines.append(f"{name}：{mask(value[0])} → {mask(value[1])}")
        else:
            lines.append(f"{name}：{mask(value)}")
    return lines


def _on_own_account(entry) -> bool:
    return (
        entry.actor_id is not None
        and entry.target_type == settings.AUTH_USER_MODEL.lower()
        and entry.target_id == str(entry.actor_id)
    )


def sentence(entry) -> str:
    """Who did what to what. Acts on one's own account (登录, 退出登录, 修改密码) name the person once; a login that
    failed or was delayed has no actor: its subject is the account tried (or an unknown one)."""
    what = label(entry.verb)
    if _on_own_account(entry):
        return f"{entry.actor_name}{what}"
    if not entry.actor_id and entry.verb.startswith("login."):
        return f"{mask(entry.target_repr) if entry.target_repr else '未知账号'}{what}"
    who = entry.actor_name or "系统"
    target = f"「{mask(entry.target_repr)}」" if entry.target_repr else ""
    return f"{who}{what}{target}"
