import Link from "next/link";
import { getAllPosts, getPost } from "../../lib/posts";

export function getStaticPaths() {
  return {
    paths: getAllPosts().map((post) => ({ params: { slug: post.slug } })),
    fallback: false,
  };
}

export function getStaticProps({ params }) {
  return { props: { post: getPost(params.slug) } };
}

export default function Post({ post }) {
  return (
    <article>
      <h1>{post.title}</h1>
      <p><time dateTime={post.date}>{post.date}</time></p>
      <p>{post.body}</p>
      <Link href="/">Back to all posts</Link>
    </article>
  );
}
