using System.Runtime.CompilerServices;

// The subtree proofs of the Merkle Tree Certificates draft stay internal; only its test vectors use them.
[assembly: InternalsVisibleTo("TeaTrace.Ledger.Tests")]
