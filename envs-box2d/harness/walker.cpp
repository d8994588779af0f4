// Gymnasium's BipedalWalker (bipedal_walker.py: reset, step, lidar, reward) in C++ on a Box2D 2.3 build, to compare
// engines: prints the five body states and the observation after reset and after each recorded step of a golden case.
// Input: the file golden.py writes. Not part of the Maven build; see README.md.
#include <Box2D/Box2D.h>
#include <cstdio>
#include <cmath>
#include <vector>
#include <new>
#include <map>
#include <algorithm>
#ifdef PAIR_ORDER
// The C++ twin of the Java envs' PairOrder (its Javadoc explains it): creates the contacts in Box2D 2.3's sorted pair
// order on libGDX's broad-phase, which does not sort.
struct OrderFilter : b2ContactFilter {
    b2Fixture *S = 0, *A = 0, *B = 0, *C = 0;
    std::vector<b2Fixture*> walker;
    std::map<b2Fixture*, int> index;
    bool armed = false; int pending = 0; int K = 12;
    enum { NONE, OBSERVE, ORDER, NATURAL } phase = NONE;
    std::vector<std::pair<int, int>> cand; size_t next = 0;
    long fallbacks = 0, calls = 0; size_t maxCand = 0;
    void prime() {
        A->Refilter();
        for (int r = 0; r < K; r++) { if (r > 0) B->Refilter(); for (b2Fixture* f : walker) f->Refilter(); }
        C->Refilter();
        pending++;
    }
    bool ShouldCollide(b2Fixture* fa, b2Fixture* fb) override {
        b2Fixture* other = fa == S ? fb : (fb == S ? fa : 0);
        if (other || fa == A || fa == B || fa == C || fb == A || fb == B || fb == C) {
            if (!armed || !other) return false;
            if (other == A) { if (pending > 0) { pending--; calls++; phase = OBSERVE; cand.clear(); next = 0; prime(); } }
            else if (other == B) { if (phase == OBSERVE) { std::sort(cand.begin(), cand.end()); maxCand = std::max(maxCand, cand.size()); next = 0; phase = ORDER; } }
            else if (other == C) { if (phase == OBSERVE || phase == ORDER) phase = NATURAL; }
            return false;
        }
        if (!b2ContactFilter::ShouldCollide(fa, fb)) return false;
        int ia = index.at(fa), ib = index.at(fb);
        std::pair<int, int> key(std::min(ia, ib), std::max(ia, ib));
        switch (phase) {
        case OBSERVE: if (std::find(cand.begin(), cand.end(), key) == cand.end()) cand.push_back(key); return false;
        case ORDER: if (next < cand.size() && cand[next] == key) { next++; return true; } return false;
        case NATURAL: if (std::find(cand.begin() + next, cand.end(), key) != cand.end()) fallbacks++; return true;
        default: return true;
        }
    }
};
#endif

static const double SCALE = 30.0, LEG_DOWN = -8 / SCALE, LEG_W = 8 / SCALE, LEG_H = 34 / SCALE;
static const double TERRAIN_STEP = 14 / SCALE, TERRAIN_HEIGHT = 400 / SCALE / 4;
static const int HULL_POLY[5][2] = {{-30, 9}, {6, 9}, {34, 1}, {34, -8}, {-30, -8}};

static int g_f64; static double g_fx; static b2Body* g_hull; static b2Body* g_legs[4]; static bool g_contact[4]; static bool g_over;
struct Listener : b2ContactListener {
    void BeginContact(b2Contact* c) override {
        b2Body* a = c->GetFixtureA()->GetBody(); b2Body* b = c->GetFixtureB()->GetBody();
        if (a == g_hull || b == g_hull) g_over = true;
        for (int k = 1; k < 4; k += 2) if (a == g_legs[k] || b == g_legs[k]) g_contact[k] = true;
    }
    void EndContact(b2Contact* c) override {
        b2Body* a = c->GetFixtureA()->GetBody(); b2Body* b = c->GetFixtureB()->GetBody();
        for (int k = 1; k < 4; k += 2) if (a == g_legs[k] || b == g_legs[k]) g_contact[k] = false;
    }
};
struct Lidar : b2RayCastCallback {
    float fraction;
    float32 ReportFixture(b2Fixture* f, const b2Vec2&, const b2Vec2&, float32 fr) override {
        if ((f->GetFilterData().categoryBits & 1) == 0) return -1;
        fraction = fr; return fr;
    }
};

static void dump(const char* tag, b2Body** bodies) {
    printf("%s", tag);
    for (int i = 0; i < 5; i++) {
        b2Body* b = bodies[i];
        printf(" %.9g %.9g %.9g %.9g %.9g %.9g %d", b->GetPosition().x, b->GetPosition().y, b->GetAngle(),
               b->GetLinearVelocity().x, b->GetLinearVelocity().y, b->GetAngularVelocity(), b->IsAwake() ? 1 : 0);
    }
    printf("\n");
}

int main(int argc, char** argv) {
    FILE* in = fopen(argv[1], "r");
    int n;
    std::vector<double> tx(200), ty(200);
    for (int i = 0; i < 200; i++) fscanf(in, "%lf", &tx[i]);
    for (int i = 0; i < 200; i++) fscanf(in, "%lf", &ty[i]);
    int nobs; fscanf(in, "%d", &nobs);
    std::vector<std::vector<double>> obs(nobs);
    for (int k = 0; k < nobs; k++) { int m; fscanf(in, "%d", &m); obs[k].resize(m); for (int j = 0; j < m; j++) fscanf(in, "%lf", &obs[k][j]); }
    double fx; fscanf(in, "%lf", &fx);
    fscanf(in, "%d", &g_f64); fscanf(in, "%d", &n);
    std::vector<double> act(4 * n);
    for (int i = 0; i < 4 * n; i++) fscanf(in, "%lf", &act[i]);

    void* mem = operator new(sizeof(b2World) + 4096);
    b2World* world = new (mem) b2World(b2Vec2(0, -10));
    world->SetAllowSleeping(true);
    Listener listener;
    world->SetContactListener(&listener);

    for (int k = 0; k < nobs; k++) {
        b2BodyDef bd; b2Body* b = world->CreateBody(&bd);
        b2PolygonShape ps; b2Vec2 v[8]; int m = obs[k].size() / 2;
        for (int j = 0; j < m; j++) v[j].Set((float)obs[k][2 * j], (float)obs[k][2 * j + 1]);
        ps.Set(v, m);
        b2FixtureDef fd; fd.shape = &ps; fd.friction = 2.5f;
        b->CreateFixture(&fd);
    }
    for (int i = 0; i < 199; i++) {
        b2EdgeShape es; es.Set(b2Vec2((float)tx[i], (float)ty[i]), b2Vec2((float)tx[i + 1], (float)ty[i + 1]));
        b2FixtureDef fd; fd.shape = &es; fd.friction = 2.5f; fd.filter.categoryBits = 1;
        b2BodyDef bd; b2Body* b = world->CreateBody(&bd); b->CreateFixture(&fd);
    }
    double initX = TERRAIN_STEP * 20 / 2, initY = TERRAIN_HEIGHT + 2 * LEG_H;
    b2BodyDef hd; hd.type = b2_dynamicBody; hd.position.Set((float)initX, (float)initY);
    b2Body* hull = world->CreateBody(&hd);
    {
        b2PolygonShape ps; b2Vec2 v[5];
        for (int j = 0; j < 5; j++) v[j].Set((float)(HULL_POLY[j][0] / SCALE), (float)(HULL_POLY[j][1] / SCALE));
        ps.Set(v, 5);
        b2FixtureDef fd; fd.shape = &ps; fd.density = 5; fd.friction = 0.1f; fd.filter.categoryBits = 0x20; fd.filter.maskBits = 1;
        hull->CreateFixture(&fd);
    }
#ifndef PAIR_ORDER
    hull->ApplyForceToCenter(b2Vec2((float)fx, 0), true);
#endif
    g_fx = fx;
    b2Body* legs[4]; b2RevoluteJoint* joints[4];
    for (int k = 0; k < 2; k++) {
        int i = k == 0 ? -1 : 1;
        b2BodyDef ld; ld.type = b2_dynamicBody; ld.position.Set((float)initX, (float)(initY - LEG_H / 2 - LEG_DOWN)); ld.angle = (float)(i * 0.05);
        b2Body* leg = world->CreateBody(&ld);
        { b2PolygonShape ps; ps.SetAsBox((float)(LEG_W / 2), (float)(LEG_H / 2));
          b2FixtureDef fd; fd.shape = &ps; fd.density = 1; fd.filter.categoryBits = 0x20; fd.filter.maskBits = 1; leg->CreateFixture(&fd); }
        b2RevoluteJointDef rjd; rjd.bodyA = hull; rjd.bodyB = leg;
        rjd.referenceAngle = (float)((double)leg->GetAngle() - (double)hull->GetAngle());
        rjd.localAnchorA.Set(0, (float)LEG_DOWN); rjd.localAnchorB.Set(0, (float)(LEG_H / 2));
        rjd.enableMotor = true; rjd.enableLimit = true; rjd.maxMotorTorque = 80; rjd.motorSpeed = i; rjd.lowerAngle = -0.8f; rjd.upperAngle = 1.1f;
        legs[2 * k] = leg; joints[2 * k] = (b2RevoluteJoint*)world->CreateJoint(&rjd);

        b2BodyDef lo; lo.type = b2_dynamicBody; lo.position.Set((float)initX, (float)(initY - LEG_H * 3 / 2 - LEG_DOWN)); lo.angle = (float)(i * 0.05);
        b2Body* lower = world->CreateBody(&lo);
        { b2PolygonShape ps; ps.SetAsBox((float)(0.8 * LEG_W / 2), (float)(LEG_H / 2));
          b2FixtureDef fd; fd.shape = &ps; fd.density = 1; fd.filter.categoryBits = 0x20; fd.filter.maskBits = 1; lower->CreateFixture(&fd); }
        b2RevoluteJointDef kd; kd.bodyA = leg; kd.bodyB = lower;
        kd.referenceAngle = (float)((double)lower->GetAngle() - (double)leg->GetAngle());
        kd.localAnchorA.Set(0, (float)(-LEG_H / 2)); kd.localAnchorB.Set(0, (float)(LEG_H / 2));
        kd.enableMotor = true; kd.enableLimit = true; kd.maxMotorTorque = 80; kd.motorSpeed = 1; kd.lowerAngle = -1.6f; kd.upperAngle = -0.1f;
        legs[2 * k + 1] = lower; joints[2 * k + 1] = (b2RevoluteJoint*)world->CreateJoint(&kd);
    }
    b2Body* bodies[5] = {hull, legs[0], legs[1], legs[2], legs[3]};
#ifdef PAIR_ORDER
    OrderFilter filter;
    {
        // body list is reverse creation order; fixtures: one per body
        std::vector<b2Body*> all; for (b2Body* b = world->GetBodyList(); b; b = b->GetNext()) all.push_back(b);
        std::reverse(all.begin(), all.end());
        int i = 0; for (b2Body* b : all) filter.index[b->GetFixtureList()] = i++;
        for (b2Body* b : bodies) filter.walker.push_back(b->GetFixtureList());
        b2BodyDef sd; sd.position.Set(-1000, -1000); b2Body* sb = world->CreateBody(&sd);
        b2PolygonShape box; box.SetAsBox(10, 10); b2FixtureDef fd; fd.shape = &box; fd.isSensor = true; fd.filter.categoryBits = 0; fd.filter.maskBits = 0;
        filter.S = sb->CreateFixture(&fd);
        b2Fixture** marks[3] = {&filter.A, &filter.B, &filter.C};
        for (int m = 0; m < 3; m++) {
            b2BodyDef md; md.type = b2_dynamicBody; md.awake = false; md.gravityScale = 0; md.position.Set(-1005 + 5 * m, -1000);
            b2Body* mb = world->CreateBody(&md); b2PolygonShape mbox; mbox.SetAsBox(0.5f, 0.5f); b2FixtureDef mf; mf.shape = &mbox; mf.isSensor = true; mf.filter.categoryBits = 0; mf.filter.maskBits = 0;
            *marks[m] = mb->CreateFixture(&mf);
        }
        world->SetContactFilter(&filter);
        world->Step(0, 180, 60);
        if (world->GetContactCount() != 0) fprintf(stderr, "contacts after Step(0): %d\n", world->GetContactCount());
        filter.armed = true;
    }
    hull->ApplyForceToCenter(b2Vec2((float)g_fx, 0), true);
#endif
    g_hull = hull; for (int k = 0; k < 4; k++) g_legs[k] = legs[k];
    double prevShaping = 0; bool hasPrev = false;
    auto observe = [&](const char* tag, const double* a) {
        b2Vec2 pos = hull->GetPosition(), vel = hull->GetLinearVelocity();
        float lid[10];
        for (int i = 0; i < 10; i++) {
            Lidar cb; cb.fraction = 1.0f;
            double x2 = pos.x + std::sin(1.5 * i / 10.0) * (160 / SCALE), y2 = pos.y - std::cos(1.5 * i / 10.0) * (160 / SCALE);
            world->RayCast(&cb, pos, b2Vec2((float)x2, (float)y2));
            lid[i] = cb.fraction;
        }
        double st[24];
        st[0] = hull->GetAngle(); st[1] = 2.0 * hull->GetAngularVelocity() / 50; st[2] = 0.3 * vel.x * (600 / SCALE) / 50; st[3] = 0.3 * vel.y * (400 / SCALE) / 50;
        for (int k = 0; k < 2; k++) {
            st[4 + 5 * k] = joints[2 * k]->GetJointAngle(); st[5 + 5 * k] = joints[2 * k]->GetJointSpeed() / 4.0;
            st[6 + 5 * k] = joints[2 * k + 1]->GetJointAngle() + 1.0; st[7 + 5 * k] = joints[2 * k + 1]->GetJointSpeed() / 6.0;
            st[8 + 5 * k] = g_contact[2 * k + 1] ? 1.0 : 0.0;
        }
        for (int i = 0; i < 10; i++) st[14 + i] = lid[i];
        double shaping = 130 * (double)pos.x / SCALE - 5.0 * std::fabs(st[0]);
        double r = hasPrev ? shaping - prevShaping : 0; prevShaping = shaping; hasPrev = true;
        for (int k = 0; k < 4; k++) { double c = std::fabs(a[k]); if (c > 1) c = 1; r -= 0.028 * c; }
        int term = 0; if (g_over || pos.x < 0) { r = -100; term = 1; } if (pos.x > 190 * TERRAIN_STEP) term = 1;
        printf("%s %d %.17g", tag, term, r);
        for (int i = 0; i < 24; i++) printf(" %.9g", (double)(float)st[i]);
        printf("\n");
    };
    const int speeds[4] = {4, 6, 4, 6};
    auto step = [&](const double* a) {
        for (int k = 0; k < 4; k++) {
            float af = (float)a[k];
            float sign = af > 0 ? 1.0f : (af < 0 ? -1.0f : 0.0f);
            joints[k]->SetMotorSpeed((float)(double)(speeds[k] * sign));
            if (g_f64) { double c = std::fabs(a[k]); if (c > 1) c = 1; joints[k]->SetMaxMotorTorque((float)(80 * c));
                double sg = a[k] > 0 ? 1.0 : (a[k] < 0 ? -1.0 : 0.0); joints[k]->SetMotorSpeed((float)(speeds[k] * sg)); continue; }
            float c = std::fabs(af); if (c > 1) c = 1;
            joints[k]->SetMaxMotorTorque((float)(80 * c));
        }
#ifdef PAIR_ORDER
        if (filter.pending == 0) filter.prime();
#endif
        world->Step((float)(1.0 / 50), 180, 60);
    };
    double zero[4] = {0, 0, 0, 0};
    step(zero);
    dump("reset", bodies); observe("oreset", zero);
    for (int s = 0; s < n; s++) {
        step(&act[4 * s]);
        char tag[32]; snprintf(tag, sizeof tag, "step%d", s + 1);
        dump(tag, bodies); snprintf(tag, sizeof tag, "ostep%d", s + 1); observe(tag, &act[4 * s]);
    }
#ifdef PAIR_ORDER
    if (filter.fallbacks) fprintf(stderr, "%ld pairs created unordered\n", filter.fallbacks);
#endif
    return 0;
}
