package ghapi

import (
	"context"
	"errors"
	"sync"
)

// CommentSink keeps one marked comment up to date, such as the results
// comment of a run: the first Publish finds the comment by its marker (a
// re-run of the same workflow run updates the comment it made) or creates
// it; later ones update it; a comment deleted meanwhile is created again.
// Every body must contain the marker. It implements publish.Sink and is
// safe for concurrent use, though one writer is expected.
type CommentSink struct {
	c      *Client
	repo   Repo
	number int
	marker string

	mu  sync.Mutex
	id  int64
	url string
}

// CommentSink returns a sink for the comment holding marker on issue or
// pull request number.
func (c *Client) CommentSink(repo Repo, number int, marker string) *CommentSink {
	return &CommentSink{c: c, repo: repo, number: number, marker: marker}
}

// Publish replaces the comment's body with body.
//
// GitHub API: PATCH …/issues/comments/{comment_id}; the first time, and
// after a 404, as UpsertComment.
func (s *CommentSink) Publish(ctx context.Context, body string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != 0 {
		cm, err := s.c.UpdateComment(ctx, s.repo, s.id, body)
		if !errors.Is(err, ErrNotFound) {
			if err == nil {
				s.url = cm.URL
			}
			return err
		}
		// Someone deleted the comment: no row may be lost, so make it again.
		s.id = 0
	}
	cm, err := s.c.UpsertComment(ctx, s.repo, s.number, s.marker, body)
	if err != nil {
		return err
	}
	s.id, s.url = cm.ID, cm.URL
	return nil
}

// ID is the comment's id, 0 before the first successful Publish.
func (s *CommentSink) ID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id
}

// URL is the comment's html_url, "" before the first successful Publish.
func (s *CommentSink) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}
