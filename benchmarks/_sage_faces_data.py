"""Expected face data from Sage, for tests/data/sage_faces.json (run by an interpreter that
imports Sage: python -m benchmarks.faces --sage-data FILE --sage-python PATH).

Sage sorts the hyperplanes and keeps each once, so its sign columns are mapped
back to the input order and orientation here."""
import json, sys, math
from fractions import Fraction
import random
try:
    import sage.all
except ImportError:
    import sage.all__sagemath_polyhedra
from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
from sage.rings.rational_field import QQ

def canon(row):
    # row: ints [a..., theta] -> primitive, first nonzero positive; returns (tuple, sign)
    g = 0
    for v in row: g = math.gcd(g, int(v))
    r = [int(v)//g for v in row]
    lead = next(v for v in r[:-1] if v)
    return (tuple(r), 1) if lead > 0 else (tuple(-v for v in r), -1)

def fv(A, faces, d):
    try:
        return [int(x) for x in A.face_vector()]
    except ImportError:  # Sage's face_vector needs sage.combinat: count the closed faces by dimension
        out = [0] * (d + 1)
        for v, F in A.closed_faces():
            out[F.dim()] += 1
        return out

def sage_data(rows, d):
    H = HyperplaneArrangements(QQ, tuple(f"x{i}" for i in range(d)))
    distinct = {}
    for r in rows:
        distinct.setdefault(canon(r)[0], r)  # Sage takes each hyperplane once
    A = H(*[[-r[-1]] + list(r[:-1]) for r in distinct.values()])
    hs = A.hyperplanes()
    sage_canon = []
    for h in hs:
        c = [QQ(v) for v in h.dense_coefficient_list()]  # [b, a...]: b + a.x
        den = 1
        for v in c: den = den * v.denominator() // math.gcd(den, int(v.denominator()))
        ints = [int(v * den) for v in c]
        sage_canon.append(canon(ints[1:] + [-ints[0]]))
    where = {cs[0]: (j, cs[1]) for j, cs in enumerate(sage_canon)}
    cols = []
    for r in rows:
        cr, s = canon(r)
        j, s2 = where[cr]
        cols.append((j, s * s2))
    faces = []
    for v, F in A.closed_faces():
        faces.append("".join("+0-"[1 - int(v[j]) * s] for j, s in cols))
    verts = [[str(Fraction(int(x.numerator()), int(x.denominator()))) for x in p] for p in A.vertices()]
    return {"rows": [list(map(int, r)) for r in rows], "dim": d, "faces": sorted(faces),
            "face_vector": fv(A, faces, d), "vertices": verts}

cases = {}
def fam(name, rows, d): cases[name] = sage_data(rows, d)
import itertools
fam("five_lines", [[0,10,10],[10,3,10],[6,-8,10],[-6,-8,10],[-10,3,10]], 2)
fam("braid_3", [[1,-1,0,0],[1,0,-1,0],[0,1,-1,0]], 3)
fam("shi_3", [[1,-1,0,0],[1,-1,0,1],[1,0,-1,0],[1,0,-1,1],[0,1,-1,0],[0,1,-1,1]], 3)
res3 = [list(v)+[0] for v in itertools.product([0,1], repeat=3) if any(v)]
fam("resonance_3", res3, 3)
rng = random.Random(13)
for k in range(8):
    d = rng.choice([2, 2, 3, 3])
    base = []
    for _ in range(rng.randint(3, 5)):
        while True:
            w = [rng.choice([0, 0, 1, -1, 2]) for _ in range(d)]
            if any(w): break
        base.append(w + [rng.randint(-2, 2)])
    rows = list(base)
    src = rng.choice(base); rows.append([-v for v in src])       # a repeat, flipped
    src = rng.choice(base); rows.append(src[:-1] + [src[-1] + 1])  # a parallel
    rng.shuffle(rows)
    fam(f"random_{k}", rows, d)
json.dump(  # noqa{"_comment": "Produced by Sage (passagemath-polyhedra) closed_faces(), face_vector() and "
           "vertices(); sign columns mapped back to the input order and orientation. "
           "Regenerate with benchmarks/faces.py --sage-data.", "cases": cases}, sys.stdout, indent=0)
