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
	"entries_n_one":  "%d entry",
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

	"nav_stats":                "Figures",
	"footer_api":               "API (OpenAPI)",
	"footer_feed":              "Atom feed",
	"footer_sitemap":           "Sitemap",
	"search_label":             "Search the knowledge base",
	"search_placeholder":       "Words from an error, a code or a tool: ModuleNotFoundError, E0382, 证书",
	"search_placeholder_short": "Search errors",
	"search_button":            "Search",
	"search_title":             "Search",
	"search_n":                 "%d entries found",
	"search_n_one":             "%d entry found",
	"search_none":              "No entry matches these words. Try fewer words, or paste the whole error on the home page.",
	"search_unavailable":       "Search is not available on this server.",
	"paste_label":              "Paste an error message, a stack trace or a whole log",
	"paste_placeholder":        "For example:\nTraceback (most recent call last):\n  ...\nModuleNotFoundError: No module named 'requests'",
	"paste_button":             "Explain this error",
	"paste_hint":               "Up to 4 MiB. The text is matched and not stored.",
	"live_results":             "Matching entries",
	"live_error":               "Could not match right now; use the button.",
	"results_title":            "What explains your error",
	"results_n":                "%d matching entries",
	"results_n_one":            "%d matching entry",
	"results_none":             "No entry explains this text. Paste the lines around the first error, or search for its words.",
	"kind_matched":             "Match",
	"kind_fuzzy":               "Similar",
	"line_n":                   "Line %d",
	"input_empty":              "Paste an error message, a stack trace or a log first.",
	"input_too_large":          "The text is larger than 4 MiB. Paste the part of the log around the error.",
	"home_figures":             "In figures",
	"home_recent":              "Recently verified",
	"home_stats_link":          "All figures and charts",
	"fig_entries":              "entries",
	"fig_domains":              "domains",
	"fig_reproduced":           "reproduced with real tools",
	"fig_workarounds":          "workarounds",
	"fig_dead_ends":            "dead ends",
	"fig_mean_fix":             "mean fix rate",
	"all_entries":              "All entries",
	"filters":                  "Filter and sort",
	"filter_category":          "Category",
	"filter_verification":      "Verification",
	"filter_resolvable":        "Verdict",
	"filter_sort":              "Sort by",
	"filter_any":               "Any",
	"filter_apply":             "Apply",
	"filter_reset":             "Clear",
	"sort_name":                "Name (A–Z)",
	"sort_fix_rate":            "Fix rate",
	"sort_confidence":          "Confidence",
	"sort_newest":              "Newest",
	"shown_n":                  "%d of %d entries",
	"no_match_filters":         "No entries match these filters.",
	"page_of":                  "Page %d of %d",
	"prev":                     "Previous",
	"next":                     "Next",
	"pager":                    "Pages",
	"list_confidence":          "confidence %s",
	"stats_title":              "Figures",
	"stats_lead":               "What the catalog holds: entries per domain and category, how likely they are to be fixed, how sure they are and how they were verified.",
	"chart_domains":            "Entries per domain",
	"chart_categories":         "Entries per category",
	"chart_verification":       "Verification levels",
	"chart_resolvable":         "Verdicts",
	"chart_fix_rate":           "Fix-rate distribution",
	"chart_confidence":         "Confidence distribution",
	"col_domain":               "Domain",
	"col_count":                "Entries",
	"col_share":                "Share",
	"field_signature":          "Message",
	"field_examples":           "Example",
	"field_root_cause":         "Root cause",
	"field_workarounds":        "Workaround",
	"field_dead_ends":          "Dead end",
	"field_error_code":         "Error code",
	"field_tags":               "Tags",
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
	"entries_n_one":  "%d 个条目",
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

	"nav_stats":                "数据",
	"footer_api":               "API（OpenAPI）",
	"footer_feed":              "Atom 订阅",
	"footer_sitemap":           "站点地图",
	"search_label":             "搜索知识库",
	"search_placeholder":       "错误中的词语、错误码或工具名：ModuleNotFoundError、E0382、证书",
	"search_placeholder_short": "搜索错误",
	"search_button":            "搜索",
	"search_title":             "搜索",
	"search_n":                 "找到 %d 个条目",
	"search_n_one":             "找到 %d 个条目",
	"search_none":              "没有条目包含这些词语。请减少关键词，或在首页粘贴完整的报错。",
	"search_unavailable":       "此服务器未提供搜索功能。",
	"paste_label":              "粘贴报错信息、调用栈或整段日志",
	"paste_placeholder":        "例如：\nTraceback (most recent call last):\n  ...\nModuleNotFoundError: No module named 'requests'",
	"paste_button":             "解释这个错误",
	"paste_hint":               "最多 4 MiB。文本只用于匹配，不会保存。",
	"live_results":             "匹配的条目",
	"live_error":               "暂时无法自动匹配，请点击按钮。",
	"results_title":            "你的错误的解释",
	"results_n":                "%d 个匹配条目",
	"results_n_one":            "%d 个匹配条目",
	"results_none":             "没有条目能解释这段文本。请粘贴第一个错误附近的几行，或搜索其中的词语。",
	"kind_matched":             "匹配",
	"kind_fuzzy":               "相似",
	"line_n":                   "第 %d 行",
	"input_empty":              "请先粘贴报错信息、调用栈或日志。",
	"input_too_large":          "文本超过 4 MiB。请只粘贴错误附近的那部分日志。",
	"home_figures":             "数据一览",
	"home_recent":              "最近核实",
	"home_stats_link":          "全部数据和图表",
	"fig_entries":              "个条目",
	"fig_domains":              "个领域",
	"fig_reproduced":           "个已用真实工具复现",
	"fig_workarounds":          "个解决方案",
	"fig_dead_ends":            "个无效尝试",
	"fig_mean_fix":             "平均修复率",
	"all_entries":              "全部条目",
	"filters":                  "筛选和排序",
	"filter_category":          "类别",
	"filter_verification":      "验证状态",
	"filter_resolvable":        "结论",
	"filter_sort":              "排序",
	"filter_any":               "不限",
	"filter_apply":             "应用",
	"filter_reset":             "清除",
	"sort_name":                "名称（A–Z）",
	"sort_fix_rate":            "修复率",
	"sort_confidence":          "置信度",
	"sort_newest":              "最新出现",
	"shown_n":                  "显示 %d / %d 个条目",
	"no_match_filters":         "没有符合这些条件的条目。",
	"page_of":                  "第 %d 页，共 %d 页",
	"prev":                     "上一页",
	"next":                     "下一页",
	"pager":                    "分页",
	"list_confidence":          "置信度 %s",
	"stats_title":              "数据",
	"stats_lead":               "知识库的构成：各领域和各类别的条目数、修复的可能性、条目的置信度以及验证方式。",
	"chart_domains":            "各领域条目数",
	"chart_categories":         "各类别条目数",
	"chart_verification":       "验证状态",
	"chart_resolvable":         "结论分布",
	"chart_fix_rate":           "修复率分布",
	"chart_confidence":         "置信度分布",
	"col_domain":               "领域",
	"col_count":                "条目数",
	"col_share":                "占比",
	"field_signature":          "错误",
	"field_examples":           "示例",
	"field_root_cause":         "根因",
	"field_workarounds":        "解决方案",
	"field_dead_ends":          "无效尝试",
	"field_error_code":         "错误码",
	"field_tags":               "标签",
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

// tfn formats a count: the key's "_one" form for 1 where the table has
// one (English singulars), else the key.
func tfn(l Lang, key string, n int) (string, error) {
	if n == 1 {
		if _, ok := ui(l)[key+"_one"]; ok {
			key += "_one"
		}
	}
	return tf(l, key, n)
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

// UIString returns a UI string for a message the server chooses (an
// empty or too large input); an unknown key gives the key itself.
func UIString(l Lang, key string) string {
	if s, ok := ui(l)[key]; ok {
		return s
	}
	return key
}
