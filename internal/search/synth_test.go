// This file makes synthetic catalogs for benchmarks and tests: entries
// with the shape and size of real ones (signature, examples, root cause,
// three workarounds with steps, three dead ends, all in English and
// Chinese; about 5.7 KB of indexed text each, the shipped catalog's
// average being 5.9 KB), from a fixed seed so every run measures the same
// thing.
//
// Words follow Zipf's law over a large vocabulary, as in real text, and
// the real words sit at ranks chosen so that their document frequencies
// resemble the shipped catalog's: "error" is in most entries, "file" in
// about 60%, "connection" in about 15%, "permission" 10%, "timeout",
// "lock" and "certificate" 5%; in Chinese "文件" about half, "连接",
// "权限" and "锁" about 10%. Each entry also has a made-up word of its own,
// as real errors name their tools.

package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// synthEn is in order of frequency; see synthVocab for the ranks.
var synthEn = strings.Fields(`error not failed cannot file no found invalid value type
version missing unknown run path set use directory module package
read write open command build install server user process config
option argument name default new instead path system environment variable
connection request response client port address host network
permission denied refused access owner group memory disk
import export syntax parse compile link load dependency conflict resolve
timeout lock certificate handshake protocol socket cache registry proxy
database table column query transaction index key null pointer heap stack
overflow token symbol reference thread signal child parent container image
volume mount device quota limit exceeded retry backoff deadline context
cancel shutdown restart daemon service unit pipe buffer stream encoding
decode encode charset locale timezone clock drift chain root trust store
keychain credential secret session cookie header body payload schema
migration constraint foreign unique primary replica leader follower
partition shard offset commit rollback mirror gateway upstream downstream
cluster node`)

var synthFiller = strings.Fields(`the when a is to of and because after before while it this that
with from on in by then so only also every each`)

// synthZh is in order of frequency, like synthEn.
var synthZh = strings.Fields(`错误 没有 失败 无法 需要 文件 使用 运行 版本 命令 路径 目录 检查 安装 配置 设置 默认
模块 包 用户 进程 系统 环境 变量 更新 删除 读取 写入 打开 连接 请求 地址 权限 拒绝 锁 端口 主机
网络 内存 磁盘 依赖 冲突 解析 导入 导出 语法 编译 链接 加载 超时 证书 握手 协议 缓存 仓库 代理
数据库 表 列 查询 事务 索引 键 空 指针 堆 栈 溢出 符号 引用 线程 信号 容器 镜像 卷 挂载 设备
配额 限制 重试 截止 上下文 取消 关闭 重启 守护 服务 管道 缓冲 编码 解码 字符集 时区 时钟 信任
凭证 令牌 密钥 会话 头部 迁移 约束 副本 分区 偏移 提交 回滚 网关 集群 节点`)

// synthHan are characters for made-up Chinese words (the rare tail).
const synthHan = `的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质`

var synthDomains = strings.Fields(`python node go rust java c docker git aws api tls shell make
postgresql redis nginx typescript kubernetes terraform ruby`)

func synthToken(r *rand.Rand) string {
	const cons, vows = "bcdfghklmnprstvz", "aeiou"
	var b strings.Builder
	for i := 0; i < 3+r.IntN(2); i++ {
		b.WriteByte(cons[r.IntN(len(cons))])
		b.WriteByte(vows[r.IntN(len(vows))])
	}
	return b.String()
}

// zipf draws words with probability proportional to 1/rank.
type zipf struct {
	words []string
	cum   []float64
}

// synthVocab makes a vocabulary of size words: the real words at ranks
// i*i/div + i (so the first few are everywhere and the later ones
// rare), made-up words in between, from newWord.
func synthVocab(real []string, size, div int, newWord func() string) *zipf {
	z := &zipf{words: make([]string, size), cum: make([]float64, size)}
	for i, w := range real {
		if r := i*i/div + i; r < size {
			z.words[r] = w
		}
	}
	sum := 0.0
	for r := range z.words {
		if z.words[r] == "" {
			z.words[r] = newWord()
		}
		sum += 1 / float64(r+1)
		z.cum[r] = sum
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) string {
	u := r.Float64() * z.cum[len(z.cum)-1]
	i, _ := slices.BinarySearch(z.cum, u)
	return z.words[min(i, len(z.words)-1)]
}

var (
	synthOnce          sync.Once
	synthEnZ, synthZhZ *zipf
)

func synthVocabs() (*zipf, *zipf) {
	synthOnce.Do(func() {
		r := rand.New(rand.NewPCG(7, 11))
		synthEnZ = synthVocab(synthEn, 20000, 12, func() string { return synthToken(r) })
		han := []rune(synthHan)
		synthZhZ = synthVocab(synthZh, 5000, 6, func() string {
			return string(han[r.IntN(len(han))]) + string(han[r.IntN(len(han))])
		})
	})
	return synthEnZ, synthZhZ
}

func synthSentence(r *rand.Rand, n int, own string) string {
	en, _ := synthVocabs()
	w := make([]string, n)
	for i := range w {
		switch {
		case i%3 == 1:
			w[i] = synthFiller[r.IntN(len(synthFiller))]
		case r.IntN(12) == 0:
			w[i] = own
		default:
			w[i] = en.draw(r)
		}
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

func synthSentenceZh(r *rand.Rand, n int, own string) string {
	_, zh := synthVocabs()
	var b strings.Builder
	for i := 0; i < n; i++ {
		if r.IntN(12) == 0 {
			b.WriteString(" " + own + " ")
		} else {
			b.WriteString(zh.draw(r))
		}
		if i%6 == 5 && i < n-1 {
			b.WriteString("，")
		}
	}
	b.WriteString("。")
	return b.String()
}

// synthetic returns n entries, ids {domain}/e{i} with domains in turn.
func synthetic(n int, seed uint64) []*canon.Entry {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*canon.Entry, 0, n)
	for i := 0; i < n; i++ {
		tool, own := synthToken(r), synthToken(r)+synthToken(r)
		en, _ := synthVocabs()
		w1, w2, w3 := en.draw(r), en.draw(r), en.draw(r)
		sig := fmt.Sprintf("%s: %s %s %s '<name>'", tool, w1, own, w2)
		e := &canon.Entry{
			ID:           fmt.Sprintf("%s/e%06d", synthDomains[i%len(synthDomains)], i),
			Domain:       synthDomains[i%len(synthDomains)],
			Category:     canon.Categories[r.IntN(len(canon.Categories))],
			Tags:         []string{tool, w1, w3},
			Signature:    sig,
			SignatureZh:  sig + "（" + synthSentenceZh(r, 4, own) + "）",
			Examples:     []string{strings.Replace(sig, "<name>", "app.main", 1), fmt.Sprintf("%s %s: %s %s at /srv/%s/%s.go:%d", tool, w3, w1, own, tool, own, 10+r.IntN(900))},
			Resolvable:   canon.Resolvables[r.IntN(len(canon.Resolvables))],
			Verification: canon.Verifications[r.IntN(len(canon.Verifications))],
			RootCause: synthSentence(r, 18, own) + " " + synthSentence(r, 14, own) + " " + synthSentence(r, 12, own) +
				" " + synthSentence(r, 16, own) + " " + synthSentence(r, 20, own),
			RootCauseZh: synthSentenceZh(r, 16, own) + synthSentenceZh(r, 12, own) + synthSentenceZh(r, 14, own) +
				synthSentenceZh(r, 18, own),
			Confidence: 0.5,
		}
		if i%3 == 0 {
			code := fmt.Sprintf("E%04d", r.IntN(10000))
			e.ErrorCode = &code
		}
		for k := 0; k < 3; k++ {
			code := "\n\n```sh\n" + tool + " --" + w2 + " " + own + "\n" + tool + " " + en.draw(r) + " --retry\n```"
			e.Workarounds = append(e.Workarounds, canon.Workaround{
				Action:   synthSentence(r, 8, own),
				ActionZh: synthSentenceZh(r, 6, own),
				How:      synthSentence(r, 14, own) + " " + synthSentence(r, 10, own) + code,
				HowZh:    synthSentenceZh(r, 10, own) + synthSentenceZh(r, 8, own) + code,
			})
			e.DeadEnds = append(e.DeadEnds, canon.DeadEnd{
				Action:     synthSentence(r, 7, own),
				ActionZh:   synthSentenceZh(r, 5, own),
				WhyFails:   synthSentence(r, 16, own) + " " + synthSentence(r, 12, own),
				WhyFailsZh: synthSentenceZh(r, 12, own) + synthSentenceZh(r, 10, own),
			})
		}
		out = append(out, e)
	}
	return out
}
