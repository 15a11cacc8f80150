package org.rnn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Refuses an HDF5 file whose version 1 B-trees (the index of an old-style group's members, or of a chunked dataset's
 * chunks) are not trees, before any parser walks them. A parser follows every child pointer of every node: two
 * pointers to one node double the work at each level, so 30 levels of such nodes in a 43 KB file cost 2^30 visits,
 * and a pointer back up loops forever. Valid files never share or revisit a node, so this check refuses nothing a
 * writer of HDF5 produces.
 *
 * <p>It reads the file's bytes itself, independent of the parser (and of its version): every {@code TREE} node in the
 * file is found by its signature, and the pointers between internal nodes must form a forest whose levels fall by
 * one at each step (so no cycle) with no node reached twice (so no sharing); the symbol-table nodes ({@code SNOD})
 * under group trees must not be shared either. One pass over the bytes, linear in the file.
 */
final class Hdf5Trees {
    private Hdf5Trees() {}

    /** One {@code TREE} node: its type (0 group, 1 chunks), level, and the child addresses it points to. */
    private record TreeNode(int type, int level, long[] children) {}

    static void check(ByteBuffer file, String what) {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.limit();
        if (n < 16) return;
        int version = b.get(8) & 0xff;
        int offsets = version <= 1 ? b.get(13) & 0xff : b.get(9) & 0xff;
        int lengths = version <= 1 ? b.get(14) & 0xff : b.get(10) & 0xff;
        if (offsets != 4 && offsets != 8 || lengths != 4 && lengths != 8) return; // left to the parser, which refuses it
        Map<Long, TreeNode> nodes = new HashMap<>();
        for (int i = 0; i + 8 <= n; i++) {
            if (b.get(i) != 'T' || b.get(i + 1) != 'R' || b.get(i + 2) != 'E' || b.get(i + 3) != 'E') continue;
            TreeNode t = node(b, i, offsets, lengths, null);
            if (t != null) nodes.put((long) i, t);
        }
        Set<Long> reached = new HashSet<>();
        for (Map.Entry<Long, TreeNode> e : nodes.entrySet()) {
            TreeNode t = e.getValue();
            long at = e.getKey();
            if (t.type == 1 && t.level > 0) t = chunkNode(b, (int) at, offsets, lengths, nodes);
            if (t == null) continue;
            for (long child : t.children) {
                TreeNode c = nodes.get(child);
                if (t.level > 0) {
                    if (c == null) continue; // not a node: the parser reports it when it gets there
                    if (c.level != t.level - 1 || c.type != t.type) {
                        throw new ModelFormatException(what + ": HDF5 B-tree node at byte " + at + " (level " + t.level
                                + ") points to a node of level " + c.level + " at byte " + child
                                + "; the structure is not a tree (a cycle), refused before reading it");
                    }
                } else if (t.type != 0) {
                    continue; // chunk addresses: data, not nodes
                }
                if (!reached.add(child)) {
                    throw new ModelFormatException(what + ": HDF5 B-tree node at byte " + child + " is reached twice (from byte "
                            + at + " and another node); the structure is not a tree (shared children), refused before "
                            + "reading it");
                }
            }
        }
    }

    /** The node at {@code at} when its header is plausible, else null; chunk-node keys are read by {@link #chunkNode}. */
    private static TreeNode node(ByteBuffer b, int at, int offsets, int lengths, Integer rank) {
        int n = b.limit();
        int type = b.get(at + 4) & 0xff, level = b.get(at + 5) & 0xff;
        int entries = b.getShort(at + 6) & 0xffff;
        if (type > 1) return null;
        int keySize = type == 0 ? lengths : rank == null ? -1 : 8 + 8 * (rank + 1);
        if (keySize < 0) return new TreeNode(type, level, new long[0]);
        long p = at + 8L + 2L * offsets;
        long end = p + (long) (entries + 1) * keySize + (long) entries * offsets;
        if (end > n) return null;
        long[] children = new long[entries];
        p += keySize;
        for (int i = 0; i < entries; i++) {
            children[i] = offsets == 8 ? b.getLong((int) p) : b.getInt((int) p) & 0xffffffffL;
            p += offsets + keySize;
        }
        return new TreeNode(type, level, children);
    }

    /**
     * An internal chunk node, whose key size depends on the dataset's rank: the rank whose reading makes every child a
     * node one level down (or the first that makes any child a node at all), else null.
     */
    private static TreeNode chunkNode(ByteBuffer b, int at, int offsets, int lengths, Map<Long, TreeNode> nodes) {
        TreeNode partial = null;
        for (int rank = 1; rank <= 32; rank++) {
            TreeNode t = node(b, at, offsets, lengths, rank);
            if (t == null) break;
            int hits = 0;
            for (long c : t.children) if (nodes.containsKey(c)) hits++;
            if (t.children.length > 0 && hits == t.children.length) return t;
            if (hits > 0 && partial == null) partial = t;
        }
        return partial;
    }
}
