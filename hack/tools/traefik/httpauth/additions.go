package auth

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The two functions Traefik calls that only its fork
// github.com/containous/go-http-auth has (the fork is refused by the module
// proxy). hack/tools/traefik/build.sh adds this file to a copy of
// github.com/abbot/go-http-auth v0.4.0.

// CheckSecret reports whether password matches secret, a htpasswd hash
// (MD5-crypt "$apr1$"/"$1$", "{SHA}" or bcrypt "$2a$"/"$2b$"/"$2x$"/"$2y$").
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale is RequireAuth with stale=true in the challenge: the
// client's nonce expired, so it may retry with the same credentials
// (RFC 7616 section 3.3).
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	a.mutex.Lock()
	if len(a.clients) > a.ClientCacheSize+a.ClientCacheTolerance {
		a.Purge(a.ClientCacheTolerance * 2)
	}
	nonce := RandomKey()
	a.clients[nonce] = &digest_client{nc: 0, last_seen: time.Now().UnixNano()}
	a.mutex.Unlock()
	w.Header().Set(contentType, a.Headers.V().UnauthContentType)
	w.Header().Set(a.Headers.V().Authenticate,
		fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s", algorithm="MD5", qop="auth", stale=true`,
			a.Realm, nonce, a.Opaque))
	w.WriteHeader(a.Headers.V().UnauthCode)
	_, _ = w.Write([]byte(a.Headers.V().UnauthResponse))
}
