// This file refuses JSON-RPC ids that the SDK would not echo exactly, on
// both transports.
//
// The go-sdk (v1.8.0, internal/jsonrpc2.MakeID) decodes a numeric id into
// a float64 and converts it to an int64: 1.5 comes back as 1,
// 9007199254740993 as 9007199254740992 and 123456789012345678901234567890
// as -9223372036854775808. A client pairing answers by id would take such
// an answer for another request's. So a message whose id is a number that
// is not an integer of at most 2^53-1 in magnitude is answered here with
// an invalid-request error that echoes the id byte for byte, and never
// reaches the SDK.

package mcpserver

import (
	"bytes"
	"encoding/json"
	"io"
	"math/big"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// MaxSafeID is the largest magnitude of a numeric id echoed exactly: the
// largest integer a float64 (and JavaScript) holds without rounding.
const MaxSafeID = 1<<53 - 1

var maxSafeID = new(big.Rat).SetInt64(MaxSafeID)

// checkID returns the error for an id the SDK would not echo exactly, or
// nil. An absent id, null or a string passes; other types are left to the
// SDK's own validation.
func checkID(raw json.RawMessage) *jsonrpc.Error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
		return nil
	}
	n, ok := new(big.Rat).SetString(string(raw))
	if ok && n.IsInt() && new(big.Rat).Abs(n).Cmp(maxSafeID) <= 0 {
		return nil
	}
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "invalid request: id " + clip(string(raw), 40) +
		" cannot be echoed exactly (this server's JSON-RPC library keeps numeric ids as 64-bit floats): use a string id or an integer of at most 9007199254740991 in magnitude"}
}

// messageID returns the raw id of a JSON-RPC message, or nil when it has
// none or is not an object.
func messageID(msg []byte) json.RawMessage {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return nil
	}
	return m.ID
}

// echoID is the id to answer a rejected message with: its own when it is a
// string or a number (byte for byte, so the client can pair the answer
// with its request), else null.
func echoID(id json.RawMessage) json.RawMessage {
	id = bytes.TrimSpace(id)
	if len(id) > 0 && (id[0] == '"' || id[0] == '-' || (id[0] >= '0' && id[0] <= '9')) {
		return id
	}
	return json.RawMessage("null")
}

// errorResponse is a JSON-RPC error answer, without its line end.
func errorResponse(id json.RawMessage, e *jsonrpc.Error) []byte {
	b, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   *jsonrpc.Error  `json:"error"`
	}{"2.0", echoID(id), e})
	return b
}

// checkHTTPIDs answers 400 with a JSON-RPC error when a POSTed message (or
// a batch element) has an id the SDK would not echo exactly, and passes
// the rest on with the body intact. It reads at most MaxHTTPBody bytes; a
// body that cannot be read is left to the SDK, which answers it.
func checkHTTPIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxHTTPBody))
		r.Body.Close()
		if err != nil {
			// Let the SDK (and http.MaxBytesReader's error) answer it.
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
			next.ServeHTTP(w, r)
			return
		}
		if id, e := badID(body); e != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(append(errorResponse(id, e), '\n'))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// badID finds the first message of body (one message or a batch) whose id
// fails checkID.
func badID(body []byte) (json.RawMessage, *jsonrpc.Error) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return nil, nil
	}
	msgs := []json.RawMessage{t}
	if t[0] == '[' {
		if json.Unmarshal(t, &msgs) != nil {
			return nil, nil
		}
	}
	for _, m := range msgs {
		id := messageID(m)
		if e := checkID(id); e != nil {
			return id, e
		}
	}
	return nil, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
