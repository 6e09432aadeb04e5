package access

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Token forms.
const (
	// TokenPrefix begins every token Issue makes, so that a leaked one is easy to recognise.
	TokenPrefix = "cnl_"
	// MinTokenLen is the fewest characters a token given to EnsureAdmin may have.
	MinTokenLen = 16
	// MaxTokenLen is the most characters a token may have; Authenticate refuses longer ones unhashed.
	MaxTokenLen = 256
	// IDPrefix begins every grant's public id.
	IDPrefix = "tok_"
)

// tokenBytes is the entropy of an issued token: 256 bits from crypto/rand.
const tokenBytes = 32

// hashToken is what the store keeps of a token: its SHA-256. An issued token carries 256 random bits,
// far beyond any guessing, so a fast hash is enough and no slow password KDF (bcrypt, scrypt, argon2)
// is needed: finding a token from its hash means a 2^256 search, and a fast hash keeps Authenticate,
// called on every request, cheap. A token given to EnsureAdmin by an operator is the operator's
// responsibility; it must be at least MinTokenLen characters and should be as random as an issued one.
func hashToken(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// newToken returns a fresh secret token: TokenPrefix and 32 random bytes in unpadded base64url.
func newToken() (string, error) {
	var b [tokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("access: random token: %w", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// newID returns a fresh public grant id: IDPrefix and 12 hex characters from their own random bytes,
// so that the id tells nothing of the secret.
func newID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("access: random id: %w", err)
	}
	return IDPrefix + hex.EncodeToString(b[:]), nil
}

// plausible reports whether token could be a token at all: of a length a token may have. Authenticate
// refuses anything else without hashing it.
func plausible(token string) bool { return len(token) >= MinTokenLen && len(token) <= MaxTokenLen }

// givenTokenOK reports whether an operator's token is acceptable: MinTokenLen to MaxTokenLen visible
// ASCII characters, so that it fits an Authorization header as it is.
func givenTokenOK(token string) bool {
	if !plausible(token) {
		return false
	}
	for i := 0; i < len(token); i++ {
		if token[i] <= ' ' || token[i] > '~' {
			return false
		}
	}
	return true
}
