import Link from "next/link";
import { getAllPosts } from "../lib/posts";

export function getStaticProps() {
  return { props: { posts: getAllPosts() } };
}

export default function Home({ posts }) {
  return (
    <main>
      <h1>Small Steps Blog</h1>
      <ul>
        {posts.map((post) => (
          <li key={post.slug}>
            <Link href={`/posts/${post.slug}`}>{post.title}</Link> <small>{post.date}</small>
          </li>
        ))}
      </ul>
    </main>
  );
}
