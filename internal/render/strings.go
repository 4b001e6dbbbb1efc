package render

import "fmt"

// Every word of the interface that is not entry content lives here, one
// table per language, so a page is never half translated. Keys with a %
// in the value are formats for Tf. TestStringTables checks that both
// tables have the same keys and the same verbs.

var uiEN = map[string]string{
	"site_tagline":     "Known software errors: why they happen, what fixes them, what doesn't.",
	"nav_home":         "Home",
	"nav_errors":       "All errors",
	"nav_breadcrumb":   "Breadcrumb",
	"nav_site":         "Site",
	"skip_to_content":  "Skip to content",
	"id":               "ID",
	"colon":            ": ",
	"paren":            " (%s)",
	"also_as":          "Also available as:",
	"badges":           "Classification",
	"badge_error_code": "Error code",
	"badge_domain":     "Domain",
	"badge_category":   "Category",
	"badge_verify":     "Verification",
	"badge_resolvable": "Verdict",

	"res_true":    "Resolvable",
	"res_partial": "Partly resolvable",
	"res_false":   "Not resolvable",

	"tiles":         "Key figures",
	"fix_rate":      "Fix rate",
	"confidence":    "Confidence",
	"evidence":      "Evidence",
	"first_seen":    "First seen",
	"last_verified": "Last verified",

	"verdict":         "In short",
	"verdict_dont":    "Don't",
	"verdict_do":      "Do",
	"verdict_no_fix":  "No reliable fix is known.",
	"success_pct":     "%s success",
	"fail_pct":        "%s fail",
	"reports_blended": "%s curated, %d reports",
	"see_below":       "Details below",

	"sec_signature":   "Error message",
	"signature_alt":   "Chinese rendering",
	"regex":           "Pattern (RE2)",
	"sec_examples":    "Examples",
	"sec_root_cause":  "Root cause",
	"cause_type":      "Type",
	"sec_workarounds": "Workarounds",
	"when":            "When",
	"tradeoff":        "Tradeoff",
	"sources":         "Sources",
	"sec_dead_ends":   "Dead ends",
	"dead_ends_intro": "Common approaches that don't work:",
	"why_fails":       "Why it fails",
	"misconception":   "Misconception",
	"sec_versions":    "Versions",
	"col_version":     "Version",
	"col_product":     "Product",
	"col_range":       "Range",
	"col_status":      "Status",
	"col_introduced":  "Introduced",
	"col_deprecated":  "Deprecated",
	"col_removed":     "Removed",
	"col_notes":       "Notes",
	"behavior_change": "Behavior change",
	"sec_os":          "Operating systems",
	"sec_related":     "Related errors",
	"leads_to":        "Often comes next",
	"preceded_by":     "Often comes before",
	"confused_with":   "Easily confused with",
	"probability":     "%s likely",
	"sec_docs":        "Official documentation",
	"sec_reproduce":   "Reproduction",
	"repro_intro":     "This script makes a real tool print the error, in an empty directory and without network:",
	"requires":        "Requires",
	"timeout":         "Timeout: %d s",
	"sec_tags":        "Tags",

	"footer_about": "ErrorCanon: a knowledge base of known software errors, in English and Chinese.",

	"errors_title":   "Errors by domain",
	"errors_lead":    "Every entry explains one error: why it happens, what fixes it (with success rates) and what people try that fails (with fail rates).",
	"entries_n":      "%d entries",
	"no_entries":     "No entries yet.",
	"domain_title":   "%s errors",
	"total":          "%d entries in %d domains",
	"home_title":     "Known software errors, explained",
	"home_lead":      "Look up an error and get its root cause, the fixes that work with their success rates, the dead ends people try with their fail rates, the versions it affects and the official docs. Every entry reads in English and Chinese, as a page, JSON and Markdown.",
	"home_domains":   "Domains",
	"home_cli":       "From a terminal",
	"home_cli_text":  "Show one entry as text, JSON or Markdown:",
	"nf_title":       "Page not found",
	"nf_text":        "There is no page at this address. The error you are looking for may be listed under its domain.",
	"nf_home":        "Go to the home page",
	"list_fix_rate":  "fix rate %s",
	"entry_count_of": "%d of %d",

	"cat_syntax_error":        "Syntax error",
	"cat_type_error":          "Type error",
	"cat_import_error":        "Import error",
	"cat_dependency_error":    "Dependency error",
	"cat_build_error":         "Build error",
	"cat_runtime_error":       "Runtime error",
	"cat_config_error":        "Configuration error",
	"cat_auth_error":          "Authentication error",
	"cat_permission_error":    "Permission error",
	"cat_network_error":       "Network error",
	"cat_tls_error":           "TLS error",
	"cat_resource_error":      "Resource error",
	"cat_timeout_error":       "Timeout",
	"cat_data_error":          "Data error",
	"cat_compatibility_error": "Compatibility error",
	"cat_platform_error":      "Platform error",

	"ver_ai_generated":       "AI-generated",
	"ver_human_reviewed":     "Human-reviewed",
	"ver_community_verified": "Community-verified",
	"ver_reproduced":         "Reproduced",

	"rct_generic":              "Generic",
	"rct_version_specific":     "Version-specific",
	"rct_os_specific":          "OS-specific",
	"rct_environment_specific": "Environment-specific",
	"rct_configuration":        "Configuration",
	"rct_usage":                "Usage",

	"st_active":     "Active",
	"st_fixed":      "Fixed",
	"st_deprecated": "Deprecated",
	"st_removed":    "Removed",

	"os_linux":   "Linux",
	"os_macos":   "macOS",
	"os_windows": "Windows",
}

var uiZH = map[string]string{
	"site_tagline":     "已知软件错误知识库：为什么出错、怎样修复、哪些做法无效。",
	"nav_home":         "首页",
	"nav_errors":       "全部错误",
	"nav_breadcrumb":   "导航路径",
	"nav_site":         "站点",
	"skip_to_content":  "跳到正文",
	"id":               "ID",
	"colon":            "：",
	"paren":            "（%s）",
	"also_as":          "其他格式：",
	"badges":           "分类",
	"badge_error_code": "错误码",
	"badge_domain":     "领域",
	"badge_category":   "类别",
	"badge_verify":     "验证状态",
	"badge_resolvable": "结论",

	"res_true":    "可解决",
	"res_partial": "部分可解决",
	"res_false":   "无法解决",

	"tiles":         "关键数据",
	"fix_rate":      "修复率",
	"confidence":    "置信度",
	"evidence":      "证据数",
	"first_seen":    "首次出现",
	"last_verified": "最近核实",

	"verdict":         "简要结论",
	"verdict_dont":    "不要",
	"verdict_do":      "应当",
	"verdict_no_fix":  "目前没有可靠的修复方法。",
	"success_pct":     "成功率 %s",
	"fail_pct":        "失败率 %s",
	"reports_blended": "编辑评估 %s，%d 份反馈",
	"see_below":       "详见下文",

	"sec_signature":   "错误信息",
	"signature_alt":   "原文",
	"regex":           "匹配模式（RE2）",
	"sec_examples":    "示例",
	"sec_root_cause":  "根因分析",
	"cause_type":      "类型",
	"sec_workarounds": "解决方案",
	"when":            "适用条件",
	"tradeoff":        "代价",
	"sources":         "来源",
	"sec_dead_ends":   "无效尝试",
	"dead_ends_intro": "常见但无效的做法：",
	"why_fails":       "为何无效",
	"misconception":   "常见误解",
	"sec_versions":    "版本兼容性",
	"col_version":     "版本",
	"col_product":     "产品",
	"col_range":       "范围",
	"col_status":      "状态",
	"col_introduced":  "引入",
	"col_deprecated":  "弃用",
	"col_removed":     "移除",
	"col_notes":       "备注",
	"behavior_change": "行为变化",
	"sec_os":          "操作系统差异",
	"sec_related":     "相关错误",
	"leads_to":        "修复后常见的后续错误",
	"preceded_by":     "常见的前置错误",
	"confused_with":   "容易混淆的错误",
	"probability":     "可能性 %s",
	"sec_docs":        "官方文档",
	"sec_reproduce":   "复现",
	"repro_intro":     "在空目录、无网络的环境中运行下面的脚本，真实工具就会打印出这个错误：",
	"requires":        "依赖命令",
	"timeout":         "超时：%d 秒",
	"sec_tags":        "标签",

	"footer_about": "ErrorCanon：中英双语的已知软件错误知识库。",

	"errors_title":   "按领域浏览错误",
	"errors_lead":    "每个条目解释一个错误：为什么会发生、怎样修复（附成功率），以及哪些常见做法无效（附失败率）。",
	"entries_n":      "%d 个条目",
	"no_entries":     "暂无条目。",
	"domain_title":   "%s 错误",
	"total":          "共 %d 个条目，涵盖 %d 个领域",
	"home_title":     "已知软件错误，一查就懂",
	"home_lead":      "查到一个错误，就能看到它的根因、有效的修复方法及成功率、常见的无效尝试及失败率、受影响的版本和官方文档。每个条目都有中英文两种语言，并提供网页、JSON 和 Markdown 三种格式。",
	"home_domains":   "领域",
	"home_cli":       "在终端中使用",
	"home_cli_text":  "以文本、JSON 或 Markdown 格式查看一个条目：",
	"nf_title":       "页面不存在",
	"nf_text":        "这个地址没有页面。你要找的错误可能列在它所属的领域下。",
	"nf_home":        "返回首页",
	"list_fix_rate":  "修复率 %s",
	"entry_count_of": "%d / %d",

	"cat_syntax_error":        "语法错误",
	"cat_type_error":          "类型错误",
	"cat_import_error":        "导入错误",
	"cat_dependency_error":    "依赖错误",
	"cat_build_error":         "构建错误",
	"cat_runtime_error":       "运行时错误",
	"cat_config_error":        "配置错误",
	"cat_auth_error":          "认证错误",
	"cat_permission_error":    "权限错误",
	"cat_network_error":       "网络错误",
	"cat_tls_error":           "TLS 错误",
	"cat_resource_error":      "资源错误",
	"cat_timeout_error":       "超时",
	"cat_data_error":          "数据错误",
	"cat_compatibility_error": "兼容性错误",
	"cat_platform_error":      "平台错误",

	"ver_ai_generated":       "AI 生成",
	"ver_human_reviewed":     "人工审核",
	"ver_community_verified": "社区验证",
	"ver_reproduced":         "已复现",

	"rct_generic":              "通用",
	"rct_version_specific":     "特定版本",
	"rct_os_specific":          "特定操作系统",
	"rct_environment_specific": "特定环境",
	"rct_configuration":        "配置问题",
	"rct_usage":                "使用方式",

	"st_active":     "现行",
	"st_fixed":      "已修复",
	"st_deprecated": "已弃用",
	"st_removed":    "已移除",

	"os_linux":   "Linux",
	"os_macos":   "macOS",
	"os_windows": "Windows",
}

// autonym is each language's name in itself: the label of a link to that
// language, the same in every table.
var autonym = map[Lang]string{EN: "English", ZH: "中文"}

// ui returns the string table of a language.
func ui(l Lang) map[string]string {
	if l == ZH {
		return uiZH
	}
	return uiEN
}

// t looks a key up; a missing key is an error, so a template that uses an
// unknown key fails its tests rather than showing the key.
func t(l Lang, key string) (string, error) {
	s, ok := ui(l)[key]
	if !ok {
		return "", fmt.Errorf("render: no %s UI string %q", l, key)
	}
	return s, nil
}

// tf formats a key's value with args.
func tf(l Lang, key string, args ...any) (string, error) {
	s, err := t(l, key)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(s, args...), nil
}

// label returns the display label of a vocabulary value (category,
// verification...), falling back to the raw value for one the tables do
// not know (a newer catalog than this binary).
func label(l Lang, prefix, value string) string {
	if s, ok := ui(l)[prefix+value]; ok {
		return s
	}
	return value
}
