const posts = [
  {
    slug: "hello-world",
    title: "Hello, world",
    date: "2025-01-12",
    body: "The first post of this blog: why we started writing things down.",
  },
  {
    slug: "small-steps",
    title: "Small steps",
    date: "2025-02-03",
    body: "Shipping a little every day beats shipping a lot once a quarter.",
  },
];

function getAllPosts() {
  return [...posts].sort((a, b) => b.date.localeCompare(a.date));
}

function getPost(slug) {
  return posts.find((post) => post.slug === slug) ?? null;
}

module.exports = { getAllPosts, getPost };
