import Head from "next/head";

export default function App({ Component, pageProps }) {
  return (
    <>
      <Head>
        <title>Small Steps Blog</title>
      </Head>
      <Component {...pageProps} />
    </>
  );
}
